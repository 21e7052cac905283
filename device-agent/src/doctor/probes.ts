// Why: the doctor's real I/O — HTTP, WebSocket, STUN and TURN against the edge and its relays —
// kept apart from the verdicts (the evaluate* functions) so those are unit-tested with fake
// outcomes and these run against the real local stack. Every probe has a deadline and cleans up
// after itself (a TURN allocation is released at once: werift never does, turn-relay.ts).
import { createSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import WebSocket from "ws";
import { classes, createStunOverTurnClient, Message, methods, parseMessage, type StunOverTurnProtocol } from "werift";
import { DEVICE_DOCTOR_PATH, DeviceDoctorResponseSchema, type DeviceDoctorResponse } from "../../../protocol/index.ts";
import { releaseAllocation } from "../werift/turn-relay.ts";
import type { TurnAttempt } from "../webrtc/turn-choice.ts";
import type { HttpProbe } from "./edge-https.ts";
import type { WsProbe } from "./edge-websocket.ts";
import { classifyNetError } from "./net-error.ts";
import type { StunOutcome, TurnOutcome } from "./relays.ts";
import { askTurnAuth, type TurnAuthTarget } from "./turn-auth.ts";
import type { EdgeTokenVerdict } from "./token.ts";

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** GET a URL with a deadline; the camera's clock (`now`) stamps the answer for the clock check. */
export async function probeHttp(fetchImpl: Fetch, url: string, timeoutMs: number, now: () => number): Promise<HttpProbe> {
  const t0 = performance.now();
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    const receivedAt = now();
    const body = (await res.text()).slice(0, 4096);
    return { ok: true, status: res.status, body, date: res.headers.get("date") ?? undefined, rttMs: Math.round(performance.now() - t0), receivedAt };
  } catch (e) {
    return { ok: false, error: classifyNetError(e) };
  }
}

export type EdgeAnswer =
  | { kind: "accepted"; body: DeviceDoctorResponse; rttMs: number; receivedAt: number }
  | Exclude<EdgeTokenVerdict, { kind: "accepted" }>;

/** POST /api/devices/:serial/doctor with the device token (sent only to the edge, in a header). */
export async function askEdge(fetchImpl: Fetch, origin: string, serial: string, token: string, timeoutMs: number, now: () => number): Promise<EdgeAnswer> {
  const t0 = performance.now();
  try {
    const res = await fetchImpl(`${origin}${DEVICE_DOCTOR_PATH(serial)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    const receivedAt = now();
    const text = (await res.text()).slice(0, 16_384);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.status === 200) {
      const parsed = DeviceDoctorResponseSchema.safeParse(json);
      if (parsed.success) return { kind: "accepted", body: parsed.data, rttMs: Math.round(performance.now() - t0), receivedAt };
      return { kind: "refused", status: 200, code: "malformed_message", message: "the edge's answer did not match the protocol" };
    }
    const err = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    return {
      kind: "refused",
      status: res.status,
      code: typeof err?.code === "string" ? err.code : `http_${res.status}`,
      message: typeof err?.message === "string" ? err.message : text.slice(0, 200),
    };
  } catch (e) {
    return { kind: "unreachable", error: classifyNetError(e) };
  }
}

/** Opens a WebSocket and reports how the edge answered: an HTTP refusal, or an open socket and its close. */
export function probeWebSocket(url: string, timeoutMs: number): Promise<WsProbe> {
  return new Promise((resolve) => {
    let done = false;
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: 64 * 1024 });
    const finish = (p: WsProbe): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(p);
    };
    const timer = setTimeout(() => finish({ kind: "error", error: { kind: "timeout", detail: "timed out" } }), timeoutMs);
    ws.on("unexpected-response", (req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      const end = (): void => {
        let code: string | undefined;
        try {
          const j = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: { code?: unknown } };
          if (typeof j.error?.code === "string") code = j.error.code;
        } catch {
          /* not the edge's JSON */
        }
        req.destroy();
        finish({ kind: "http", status: res.statusCode ?? 0, code });
      };
      res.on("end", end);
      res.on("error", end);
    });
    ws.on("close", (code, reason) => finish({ kind: "opened", closeCode: code, reason: reason.toString().slice(0, 123) }));
    ws.on("error", (e) => finish({ kind: "error", error: classifyNetError(e) }));
  });
}

/** host and port of a stun: URL (RFC 7064), default port 3478. */
export function parseStunUrl(url: string): { host: string; port: number } | undefined {
  const m = /^stuns?:(\[[^\]]+\]|[^:?\s]+)(?::(\d{1,5}))?$/i.exec(url.trim());
  if (!m) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port: m[2] ? Number(m[2]) : 3478 };
}

/** One STUN Binding over UDP (RFC 8489), retransmitted at 0, 500 and 1500 ms until `timeoutMs`. */
export async function probeStun(host: string, port: number, timeoutMs: number): Promise<StunOutcome> {
  const t0 = performance.now();
  let address = host;
  if (isIP(host) === 0) {
    try {
      address = (await lookup(host, { family: 4 })).address;
    } catch (e) {
      return { ok: false, kind: "error", detail: classifyNetError(e).detail };
    }
  }
  const socket = createSocket("udp4");
  const request = new Message(methods.BINDING, classes.REQUEST);
  const bytes = request.bytes;
  return new Promise<StunOutcome>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (o: StunOutcome): void => {
      timers.forEach(clearTimeout);
      socket.close();
      resolve(o);
    };
    socket.on("error", (e) => finish({ ok: false, kind: "error", detail: classifyNetError(e).detail }));
    socket.on("message", (data) => {
      const msg = parseMessage(data);
      if (!msg || msg.transactionIdHex !== request.transactionIdHex || msg.messageClass !== classes.RESPONSE) return;
      const mapped = msg.getAttributeValue("XOR-MAPPED-ADDRESS") as [string, number] | undefined;
      finish({ ok: true, mapped: mapped ? `${mapped[0]}:${mapped[1]}` : "unknown", ms: Math.round(performance.now() - t0) });
    });
    for (const at of [0, 500, 1500]) {
      if (at < timeoutMs) timers.push(setTimeout(() => socket.send(bytes, port, address, () => {}), at));
    }
    timers.push(setTimeout(() => finish({ ok: false, kind: "timeout", detail: `no answer within ${Math.round(timeoutMs / 100) / 10} s` }), timeoutMs));
  });
}

/** TURN's ERROR-CODE from a werift TransactionFailed (it carries the server's response). */
function turnErrorCode(e: unknown): [number, string] | undefined {
  const response = (e as { response?: { getAttributeValue?: (name: string) => unknown } } | null)?.response;
  const v = response?.getAttributeValue?.("ERROR-CODE");
  return Array.isArray(v) && typeof v[0] === "number" ? [v[0], String(v[1] ?? "")] : undefined;
}

/** Allocates a relay on one TURN URL (werift's client, as relay-gathering.ts does) and releases it. */
export async function probeTurn(a: Pick<TurnAttempt, "host" | "port" | "transport" | "username" | "credential">, timeoutMs: number): Promise<TurnOutcome> {
  const t0 = performance.now();
  const ms = (): number => Math.round(performance.now() - t0);
  const allocation = createStunOverTurnClient(
    { address: [a.host, a.port], username: a.username, password: a.credential },
    { transport: a.transport, connectTimeoutMs: timeoutMs } as never,
  ) as unknown as Promise<StunOverTurnProtocol & { turn: { relayedAddress: [string, number] } }>;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    allocation.then((client) => ({ client }), (error: unknown) => ({ error })),
    new Promise<{ timeout: true }>((r) => (timer = setTimeout(() => r({ timeout: true }), timeoutMs))),
  ]);
  clearTimeout(timer);
  if ("timeout" in outcome) {
    // A late allocation must not hold a relay port: release it when (if) it arrives.
    void allocation.then((c) => release(c), () => {});
    return explainSilence(a, timeoutMs, { ok: false, kind: "timeout", detail: `no answer within ${Math.round(timeoutMs / 100) / 10} s`, ms: ms() });
  }
  if ("error" in outcome) {
    const code = turnErrorCode(outcome.error);
    if (code) return { ok: false, kind: code[0] === 401 || code[0] === 431 ? "auth" : "refused", detail: `${code[0]} ${code[1]}`.trim(), ms: ms() };
    const ne = classifyNetError(outcome.error);
    const failure: TurnOutcome = { ok: false, kind: ne.kind === "timeout" ? "timeout" : "unreachable", detail: ne.detail, ms: ms() };
    return ne.kind === "timeout" || ne.kind === "other" ? explainSilence(a, timeoutMs, failure) : failure;
  }
  const [host, port] = outcome.client.turn.relayedAddress;
  const elapsed = ms();
  await release(outcome.client);
  return { ok: true, ms: elapsed, relayed: `${host}:${port}` };
}

/**
 * werift drops the unauthenticated 401 coturn sends to a wrong credential, so its failure looks
 * like silence; ask the server ourselves (turn-auth.ts) to tell the two apart.
 */
async function explainSilence(a: TurnAuthTarget, timeoutMs: number, failure: TurnOutcome): Promise<TurnOutcome> {
  const answer = await askTurnAuth(a, Math.min(timeoutMs, 2000));
  if (answer.kind !== "error") return failure;
  const detail = `${answer.code} ${answer.reason}`.trim();
  return { ok: false, kind: answer.code === 401 || answer.code === 431 ? "auth" : "refused", detail, ms: failure.ms };
}

async function release(client: StunOverTurnProtocol): Promise<void> {
  await releaseAllocation(client, 1000);
  await client.close().catch(() => {});
}
