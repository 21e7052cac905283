// Why: the client end of a WebSocket the worker accepted, with every wait bounded so a
// missing message fails the test quickly instead of hanging it.
import { expect } from "vitest";

export const WAIT_MS = 3000;

export interface CloseInfo {
  code: number;
  reason: string;
}

// Loose on purpose: tests assert on fields of edge messages of several unions.
export type Json = Record<string, any>;

export class TestSocket {
  /** Every socket a test opened, so `closeAllSockets()` can tidy up after it. */
  static readonly open = new Set<TestSocket>();

  private readonly inbox: string[] = [];
  private wake: (() => void) | undefined;
  private closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
    let onClose!: (c: CloseInfo) => void;
    this.closed = new Promise((resolve) => (onClose = resolve));
    ws.addEventListener("message", (e) => {
      this.inbox.push(typeof e.data === "string" ? e.data : `<binary ${(e.data as ArrayBuffer).byteLength}>`);
      this.wake?.();
    });
    ws.addEventListener("close", (e) => {
      this.closeInfo = { code: e.code, reason: e.reason };
      onClose(this.closeInfo);
      this.wake?.();
    });
    ws.accept();
    TestSocket.open.add(this);
    void this.closed.then(() => TestSocket.open.delete(this));
  }

  /** Accepts the socket of a 101 response. */
  static from(res: Response): TestSocket {
    expect(res.status).toBe(101);
    const ws = res.webSocket;
    if (!ws) throw new Error("response has no webSocket");
    return new TestSocket(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The next message (parsed JSON), or a failure after `timeoutMs`. */
  async next(timeoutMs = WAIT_MS): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.closeInfo) throw new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for a message`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return JSON.parse(this.inbox.shift()!) as Json;
  }

  /** The next message, which must have `type`. */
  async expectMessage(type: string, timeoutMs = WAIT_MS): Promise<Json> {
    const msg = await this.next(timeoutMs);
    expect(msg.type, JSON.stringify(msg)).toBe(type);
    return msg;
  }

  /** Nothing arrives for `ms` (for "only the right viewer gets it" checks). */
  async expectSilence(ms = 150): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    expect(this.inbox, "unexpected messages").toEqual([]);
  }

  /** Resolves with the close code and reason, or fails after `timeoutMs`. */
  async waitClosed(timeoutMs = WAIT_MS): Promise<CloseInfo> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get isClosed(): boolean {
    return this.closeInfo !== undefined;
  }

  close(code = 1000, reason = "test done"): void {
    if (!this.isClosed) {
      try {
        this.ws.close(code, reason);
      } catch {
        // already closing
      }
    }
  }
}

/** Closes whatever a test left open (use in afterEach). */
export function closeAllSockets(): void {
  for (const s of TestSocket.open) s.close(1000, "test over");
  TestSocket.open.clear();
}
