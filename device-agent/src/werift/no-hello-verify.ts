// Why: the camera is the DTLS server (it offers actpass, the browser answers active), and werift
// 0.25 answers every first ClientHello with a HelloVerifyRequest (RFC 6347 §4.2.1): the client
// must send its ClientHello again with the cookie before the real handshake starts. That is one
// whole round trip on every session's path to the first frame (40 ms at 40 ms RTT, 150 ms at 150).
//
// The cookie exchange proves the client can receive at its source address, against spoofed
// ClientHellos used for amplification (§4.2.1). Here it proves nothing new: DTLS runs only on an
// ICE pair whose connectivity check the client answered with the session's ICE password
// (RFC 8445 §7.2.5, message integrity), so its address is already verified. RFC 6347 §4.2.1 lets a
// server skip it ("the server MAY respond with a HelloVerifyRequest"), and browsers' own DTLS
// servers (libwebrtc on BoringSSL) do not send one.
//
// So the first ClientHello is answered with flight 4 directly:
//  - werift's flight 2 still runs (it negotiates curve, cipher suite, SRTP profile, extended
//    master secret and makes the key pair and the cookie), but its HelloVerifyRequest datagram
//    is not sent;
//  - the ClientHello the client sent goes into the handshake transcript (§4.2.6: without a
//    HelloVerifyRequest the first ClientHello is part of it), and werift's flight 4 is run as for
//    a ClientHello carrying the cookie;
//  - ServerHello takes message_seq 0, not 1: "the first message each side transmits in each
//    handshake always has message_seq = 0" (§4.2.2) — werift numbers it 1 after its HVR.
// A client that sends its ClientHello again (our flight 4 was lost) gets flight 4 again (werift's
// "flight4 twice"). Upstream: werift could make the cookie exchange an option of DtlsServer.
import { RTCDtlsTransport } from "werift";

/** A reassembled handshake message as werift hands it to the server (lib/dtls/src/record/message/fragment.js). */
export interface HandshakeMessage {
  msg_type: number;
  length: number;
  message_seq: number;
  fragment_offset: number;
  fragment_length: number;
  fragment: Buffer;
}

/** The werift DTLS server internals this patch uses (werift 0.25.2, lib/dtls/src/server.js, context/dtls.js). */
export interface NoHvrServerInternals {
  connected: boolean;
  onHandleHandshakes: (assembled: HandshakeMessage[]) => Promise<void>;
  transport: { send: (buf: Buffer, addr?: unknown) => Promise<unknown> };
  dtls: {
    flight: number;
    cookie?: Buffer;
    sequenceNumber: number;
    bufferHandshakeCache(handshakes: HandshakeMessage[], isLocal: boolean, flight: number): void;
  };
}
interface DtlsTransportInternals {
  role: string;
  dtls: NoHvrServerInternals | undefined;
  start(): Promise<void>;
}

const CLIENT_HELLO = 1;
const MARK = Symbol.for("porthole.no-hello-verify");

/** Counts, for tests and logs: first ClientHellos answered with flight 4 at once. */
export const noHelloVerifyStats = { answeredDirectly: 0 };

/** Where a ClientHello body's cookie length byte sits (RFC 6347 §4.2.1: version, random, session id, cookie), or -1. */
export function cookieOffset(body: Buffer): number {
  const sessionIdAt = 2 + 32;
  if (body.length < sessionIdAt + 1) return -1;
  const at = sessionIdAt + 1 + body[sessionIdAt]!;
  return at < body.length ? at : -1;
}

/** The same ClientHello body with `cookie` in place of its (empty) cookie. */
export function withCookie(body: Buffer, cookie: Buffer): Buffer | undefined {
  const at = cookieOffset(body);
  if (at < 0 || body[at] !== 0 || cookie.length > 255) return undefined;
  return Buffer.concat([body.subarray(0, at), Buffer.from([cookie.length]), cookie, body.subarray(at + 1)]);
}

/**
 * Makes `server` answer a cookieless first ClientHello with flight 4 (see the header). Anything
 * it does not recognise goes to werift unchanged, which then sends its HelloVerifyRequest.
 */
export function answerWithoutHelloVerify(server: NoHvrServerInternals): void {
  const handle = server.onHandleHandshakes;
  const transport = server.transport;
  const send = transport.send;
  // ServerHello's message_seq: werift's flight 4 sets 1 (after its HVR); the next such set is 0.
  let seq = server.dtls.sequenceNumber;
  let zeroNext = false;
  Object.defineProperty(server.dtls, "sequenceNumber", {
    configurable: true,
    enumerable: true,
    get: () => seq,
    set: (v: number) => {
      seq = zeroNext && v === 1 ? 0 : v;
      zeroNext = false;
    },
  });
  server.onHandleHandshakes = async (assembled) => {
    const hello = assembled.length === 1 ? assembled[0] : undefined;
    const body = hello?.msg_type === CLIENT_HELLO && !server.connected ? hello.fragment : undefined;
    const at = body ? cookieOffset(body) : -1;
    if (!hello || !body || at < 0 || body[at] !== 0) return handle(assembled);
    if (server.dtls.flight !== 4) {
      // werift's flight 2 (synchronous inside the handler): parameters, key pair and cookie; its
      // HelloVerifyRequest is dropped.
      let suppressed = true;
      transport.send = (buf, addr) => (suppressed ? Promise.resolve() : send.call(transport, buf, addr));
      try {
        const flight2 = handle([hello]);
        suppressed = false;
        await flight2;
      } finally {
        suppressed = false;
        transport.send = send;
      }
      // The transcript holds the ClientHello the client sent (werift keeps one per type: its
      // own copy of the cookie'd hello below is then left out).
      server.dtls.bufferHandshakeCache([hello], false, 4);
      zeroNext = true;
      noHelloVerifyStats.answeredDirectly++;
    }
    const cookie = server.dtls.cookie;
    const cookied = cookie && withCookie(body, cookie);
    if (!cookied) return handle(assembled);
    // werift's flight 4 for a hello carrying the cookie (or, if flight 4 already went, its resend).
    const asCookied = Object.assign(Object.create(Object.getPrototypeOf(hello) as object) as HandshakeMessage, hello, { fragment: cookied });
    try {
      await handle([asCookied]);
    } finally {
      zeroNext = false;
    }
  };
}

export function installNoHelloVerify(): void {
  const proto = RTCDtlsTransport.prototype as unknown as DtlsTransportInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.start !== "function") throw new Error("werift internals changed: review device-agent/src/werift/no-hello-verify.ts");
  const start = proto.start;
  proto.start = function (this: DtlsTransportInternals) {
    // start() builds its DtlsServer synchronously, before any datagram reaches it.
    const started = start.call(this);
    const server = this.dtls;
    if (this.role === "server" && server) {
      if (typeof server.onHandleHandshakes !== "function" || typeof server.dtls?.bufferHandshakeCache !== "function" || typeof server.transport?.send !== "function") {
        throw new Error("werift internals changed: review device-agent/src/werift/no-hello-verify.ts");
      }
      answerWithoutHelloVerify(server);
    }
    return started;
  };
  proto[MARK] = true;
}
