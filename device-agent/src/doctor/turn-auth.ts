// Why: werift drops a TURN error response that carries no valid MESSAGE-INTEGRITY, and coturn's
// 401 to a wrong credential carries none (it could not compute one), so a wrong TURN secret
// looks to werift exactly like a server that never answers (the stack notes: ~13 s of silence).
// When werift's allocation fails, the doctor asks once more itself — the two Allocate requests
// of RFC 8656 §7.2 / RFC 8489 §9.2 — and reads the ERROR-CODE without checking its integrity
// (the answer only explains a failure; nothing is trusted on it). 401 after the credentialed
// request is a credential the server rejects; silence stays "no answer".
import { createSocket } from "node:dgram";
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { classes, makeIntegrityKey, Message, methods, parseMessage } from "werift";
import type { TurnTransport } from "../webrtc/turn-choice.ts";

export interface TurnAuthTarget {
  host: string;
  port: number;
  transport: TurnTransport;
  username: string;
  credential: string;
}

export type TurnAuthAnswer = { kind: "error"; code: number; reason: string } | { kind: "allocated" } | { kind: "silent" };

/** RFC 8656 §14.7: REQUESTED-TRANSPORT UDP (17) in the first byte. */
const UDP_TRANSPORT = 0x11000000;

interface Channel {
  send(bytes: Buffer): void;
  onMessage(cb: (msg: Buffer) => void): void;
  close(): void;
}

/**
 * Opens the transport. A TCP/TLS connect to a firewall that drops SYNs would otherwise wait out
 * the kernel's retries (~2 min), so it is abandoned — and its socket destroyed — after `timeoutMs`.
 */
function openChannel(t: TurnAuthTarget, timeoutMs: number): Promise<Channel> {
  if (t.transport === "udp") {
    const socket = createSocket(t.host.includes(":") ? "udp6" : "udp4");
    return Promise.resolve({
      send: (b) => socket.send(b, t.port, t.host, () => {}),
      onMessage: (cb) => socket.on("message", (m) => cb(m)),
      close: () => socket.close(),
    });
  }
  return new Promise((resolve, reject) => {
    const socket: Socket = t.transport === "tls" ? tlsConnect({ host: t.host, port: t.port, servername: t.host }) : tcpConnect({ host: t.host, port: t.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${t.transport} connect timed out`));
    }, timeoutMs);
    socket.once("close", () => clearTimeout(timer));
    socket.once(t.transport === "tls" ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      let buf = Buffer.alloc(0);
      const listeners: Array<(m: Buffer) => void> = [];
      // STUN over a stream is messages back to back (RFC 8489 §6.2.2): 20-byte header + length.
      socket.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 20 && buf.length >= 20 + buf.readUInt16BE(2)) {
          const n = 20 + buf.readUInt16BE(2);
          const m = buf.subarray(0, n);
          buf = buf.subarray(n);
          listeners.forEach((cb) => cb(m));
        }
      });
      resolve({ send: (b) => socket.write(b), onMessage: (cb) => listeners.push(cb), close: () => socket.destroy() });
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function request(ch: Channel, msg: Message, timeoutMs: number): Promise<Message | undefined> {
  return new Promise((resolve) => {
    const bytes = msg.bytes;
    const timers = [0, 500, 1500].filter((at) => at < timeoutMs).map((at) => setTimeout(() => ch.send(bytes), at));
    const done = (m: Message | undefined): void => {
      timers.forEach(clearTimeout);
      clearTimeout(deadline);
      resolve(m);
    };
    const deadline = setTimeout(() => done(undefined), timeoutMs);
    ch.onMessage((data) => {
      const m = parseMessage(data);
      if (m && m.transactionIdHex === msg.transactionIdHex) done(m);
    });
  });
}

function errorOf(m: Message): { code: number; reason: string } | undefined {
  const v = m.getAttributeValue("ERROR-CODE") as [number, string] | undefined;
  return v ? { code: v[0], reason: String(v[1] ?? "") } : undefined;
}

/** Asks the TURN server for an allocation with the credential and reports how it answered. */
export async function askTurnAuth(t: TurnAuthTarget, timeoutMs: number): Promise<TurnAuthAnswer> {
  let ch: Channel;
  try {
    ch = await openChannel(t, timeoutMs);
  } catch {
    return { kind: "silent" };
  }
  try {
    const first = await request(ch, new Message(methods.ALLOCATE, classes.REQUEST).setAttribute("REQUESTED-TRANSPORT", UDP_TRANSPORT), timeoutMs);
    if (!first) return { kind: "silent" };
    const challenge = errorOf(first);
    const realm = first.getAttributeValue("REALM") as string | undefined;
    const nonce = first.getAttributeValue("NONCE") as Buffer | undefined;
    if (!challenge) return { kind: "allocated" }; // a server without authentication
    if (challenge.code !== 401 || !realm || !nonce) return { kind: "error", ...challenge };
    const key = makeIntegrityKey(t.username, realm, t.credential);
    const second = await request(
      ch,
      new Message(methods.ALLOCATE, classes.REQUEST)
        .setAttribute("REQUESTED-TRANSPORT", UDP_TRANSPORT)
        .setAttribute("USERNAME", t.username)
        .setAttribute("REALM", realm)
        .setAttribute("NONCE", nonce)
        .addMessageIntegrity(key)
        .addFingerprint(),
      timeoutMs,
    );
    if (!second) return { kind: "silent" };
    const refused = errorOf(second);
    if (refused) return { kind: "error", ...refused };
    // It worked this time: give the relay port back at once (RFC 8656 §7: Refresh, LIFETIME 0).
    const release = new Message(methods.REFRESH, classes.REQUEST)
      .setAttribute("LIFETIME", 0)
      .setAttribute("USERNAME", t.username)
      .setAttribute("REALM", realm)
      .setAttribute("NONCE", nonce)
      .addMessageIntegrity(key)
      .addFingerprint();
    await request(ch, release, Math.min(timeoutMs, 1000));
    return { kind: "allocated" };
  } finally {
    ch.close();
  }
}
