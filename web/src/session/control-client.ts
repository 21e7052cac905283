// Why: the PWA end of the camera controls (protocol/controls.ts): typed requests with ids and
// timeouts, device events, and binary transfers reassembled from the bulk channel. Replies are
// validated like everything else that crosses a boundary.
import {
  CONTROL_ERROR_CODES,
  CONTROL_METHODS,
  CONTROL_REQUEST_TIMEOUT_MS,
  decodeBulkFrame,
  parseEvent,
  type ControlErrorCode,
  type ControlEventData,
  type ControlEventName,
  type ControlMethod,
  type ControlParams,
  type ControlResultOf,
  type DcEvent,
  type DcResponse,
} from "../../../protocol/controls.ts";

export class ControlRequestError extends Error {
  readonly code: ControlErrorCode;
  readonly field: string | undefined;
  constructor(code: ControlErrorCode, message: string, field?: string) {
    super(message || CONTROL_ERROR_CODES[code]);
    this.name = "ControlRequestError";
    this.code = code;
    this.field = field;
  }
}

/** A transfer not claimed by a reply within this is dropped (its reply was lost or timed out). */
const UNCLAIMED_TRANSFER_MS = 30_000;
/** Cap on bytes held for transfers: a misbehaving device cannot fill the tab's memory. */
const MAX_BUFFERED_TRANSFER_BYTES = 256 * 1024 * 1024;

interface Pending {
  method: ControlMethod;
  resolve(v: unknown): void;
  reject(e: ControlRequestError): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Transfer {
  chunks: Uint8Array[];
  bytes: number;
  done: boolean;
  expected: number | null;
  waiter: { resolve(b: Uint8Array): void; reject(e: ControlRequestError): void } | null;
  onProgress: ((received: number, total: number | null) => void) | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface RequestOptions {
  timeoutMs?: number;
}

export class ControlClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<ControlEventName, Set<(data: never) => void>>();
  private readonly transfers = new Map<number, Transfer>();
  private buffered = 0;
  private closedReason: string | null = null;
  private readonly sendText: (text: string) => boolean;

  /** `send` returns false when the channel is not open. */
  constructor(send: (text: string) => boolean) {
    this.sendText = send;
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  request<M extends ControlMethod>(method: M, params: ControlParams<M>, o: RequestOptions = {}): Promise<ControlResultOf<M>> {
    if (this.closedReason !== null) return Promise.reject(new ControlRequestError("unavailable", this.closedReason));
    const id = this.nextId++;
    return new Promise<ControlResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ControlRequestError("timeout", `The camera did not answer ${method} in time.`));
      }, o.timeoutMs ?? CONTROL_REQUEST_TIMEOUT_MS);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      if (!this.sendText(JSON.stringify({ type: "req", id, method, params }))) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new ControlRequestError("unavailable", "The control channel is not open."));
      }
    });
  }

  /** Subscribes to a device event; returns the unsubscribe function. */
  on<E extends ControlEventName>(event: E, fn: (data: ControlEventData<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as (data: never) => void);
    return () => set.delete(fn as (data: never) => void);
  }

  /** A `res` from the control channel. */
  receiveResponse(res: DcResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return; // timed out already
    this.pending.delete(res.id);
    clearTimeout(p.timer);
    if (!res.ok) return p.reject(new ControlRequestError(res.error.code, res.error.message, res.error.field));
    const checked = CONTROL_METHODS[p.method].result.safeParse(res.result);
    if (!checked.success) return p.reject(new ControlRequestError("malformed_message", `The camera's reply to ${p.method} was not valid.`));
    p.resolve(checked.data);
  }

  /** An `event` from the control channel; unknown or invalid events are dropped. */
  receiveEvent(ev: DcEvent): void {
    const parsed = parseEvent(ev);
    if (!parsed) {
      console.warn("porthole: dropped a camera event", ev.event);
      return;
    }
    for (const fn of [...(this.listeners.get(parsed.event) ?? [])]) {
      try {
        (fn as (d: unknown) => void)(parsed.data);
      } catch (e) {
        console.error("porthole: event handler failed", e);
      }
    }
  }

  /** Wires the bulk channel (binary frames: protocol/controls.ts encodeBulkFrame). */
  attachBulk(dc: RTCDataChannel): void {
    dc.binaryType = "arraybuffer";
    dc.addEventListener("message", (ev: MessageEvent) => {
      if (!(ev.data instanceof ArrayBuffer)) return;
      const frame = decodeBulkFrame(new Uint8Array(ev.data));
      if (frame) this.receiveBulk(frame.transfer, frame.last, frame.payload);
    });
  }

  receiveBulk(id: number, last: boolean, payload: Uint8Array): void {
    let t = this.transfers.get(id);
    if (!t) {
      t = this.newTransfer(id);
      // Frames can arrive before the reply that names the transfer (two SCTP streams).
      t.timer = setTimeout(() => this.dropTransfer(id), UNCLAIMED_TRANSFER_MS);
    }
    if (t.done) return;
    if (this.buffered + payload.byteLength > MAX_BUFFERED_TRANSFER_BYTES) {
      t.waiter?.reject(new ControlRequestError("internal", "The download is too large for this browser tab."));
      return this.dropTransfer(id);
    }
    t.chunks.push(payload.slice());
    t.bytes += payload.byteLength;
    this.buffered += payload.byteLength;
    t.onProgress?.(t.bytes, t.expected);
    if (last) {
      t.done = true;
      this.settle(id, t);
    }
  }

  /** Resolves with the whole transfer `id` (announced by a reply); `expected` bytes if known. */
  transfer(id: number, expected: number | null = null, onProgress?: (received: number, total: number | null) => void): Promise<Uint8Array> {
    if (this.closedReason !== null) return Promise.reject(new ControlRequestError("unavailable", this.closedReason));
    const t = this.transfers.get(id) ?? this.newTransfer(id);
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    t.expected = expected;
    t.onProgress = onProgress ?? null;
    return new Promise<Uint8Array>((resolve, reject) => {
      t.waiter = { resolve, reject };
      if (t.done) this.settle(id, t);
    });
  }

  /** The channel closed: every waiting request fails with `unavailable`. */
  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ControlRequestError("unavailable", reason));
      this.pending.delete(id);
    }
    for (const [id, t] of this.transfers) {
      t.waiter?.reject(new ControlRequestError("unavailable", reason));
      this.dropTransfer(id);
    }
    this.listeners.clear();
  }

  private newTransfer(id: number): Transfer {
    const t: Transfer = { chunks: [], bytes: 0, done: false, expected: null, waiter: null, onProgress: null, timer: null };
    this.transfers.set(id, t);
    return t;
  }

  private settle(id: number, t: Transfer): void {
    if (!t.waiter) return;
    const out = new Uint8Array(t.bytes);
    let at = 0;
    for (const c of t.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    const waiter = t.waiter;
    this.dropTransfer(id);
    if (t.expected !== null && t.expected !== out.byteLength) {
      waiter.reject(new ControlRequestError("internal", `The download was cut short (${out.byteLength} of ${t.expected} bytes).`));
    } else waiter.resolve(out);
  }

  private dropTransfer(id: number): void {
    const t = this.transfers.get(id);
    if (!t) return;
    if (t.timer) clearTimeout(t.timer);
    this.buffered -= t.bytes;
    this.transfers.delete(id);
  }
}
