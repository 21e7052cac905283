import { describe, expect, it } from "vitest";
import type { Datagram } from "../../test/drop-relay.ts";
import { connectThroughRelay } from "../../test/relay-pair.ts";
import { cookieOffset, noHelloVerifyStats, withCookie } from "./no-hello-verify.ts";

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);
/** Handshake msg_types (RFC 6347 §4.3.2): ClientHello 1, ServerHello 2, HelloVerifyRequest 3, ServerHelloDone 14. */
const handshakes = (log: readonly Datagram[], dir: Datagram["dir"]) =>
  log.filter((d) => d.dir === dir && d.kind === "dtls").flatMap((d) => (d.dtls ?? []).flatMap((r) => (r.handshake === undefined ? [] : [r.handshake])));

/** A ClientHello body: version, random, session id (`sid` bytes), cookie (`cookie` bytes), then the rest. */
function clientHello(sid: number, cookie: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0xfd]), Buffer.alloc(32, 7), Buffer.from([sid]), Buffer.alloc(sid, 9), Buffer.from([cookie.length]), cookie, Buffer.from([0, 2, 0xc0, 0x2b, 1, 0])]);
}

describe("a ClientHello's cookie field", () => {
  it("is found after the session id, and an empty one is filled in place", () => {
    const empty = clientHello(0, Buffer.alloc(0));
    expect(cookieOffset(empty)).toBe(35);
    expect(withCookie(empty, Buffer.from("abc"))).toEqual(clientHello(0, Buffer.from("abc")));
    expect(cookieOffset(clientHello(4, Buffer.alloc(0)))).toBe(39);
  });

  it("is left alone when it already holds a cookie or the hello is cut short", () => {
    expect(withCookie(clientHello(0, Buffer.from("xy")), Buffer.from("abc"))).toBeUndefined();
    expect(cookieOffset(Buffer.alloc(20))).toBe(-1);
  });
});

describe("the camera's DTLS server answers the first ClientHello with flight 4 (werift viewer through a relay, 20 ms RTT)", () => {
  it("sends no HelloVerifyRequest, and the viewer's single ClientHello leads to a working DTLS-SRTP session with an open data channel", async () => {
    const before = noHelloVerifyStats.answeredDirectly;
    const pair = await connectThroughRelay({ delayMs: 10, drop: () => false });
    try {
      await within(pair.cameraConnected, 5000, "connected");
      const dc = await within(pair.channel, 5000, "data channel");
      expect(dc.readyState).toBe("open");
      const toViewer = handshakes(pair.relay.log, "to-viewer");
      const toCamera = handshakes(pair.relay.log, "to-camera");
      expect(toViewer, "handshake messages the camera sent").not.toContain(3);
      expect(toViewer[0]).toBe(2);
      // One ClientHello: the client never had to send it again with a cookie.
      expect(toCamera.filter((t) => t === 1)).toHaveLength(1);
      expect(noHelloVerifyStats.answeredDirectly).toBe(before + 1);
    } finally {
      await pair.close();
    }
  });

  it("sends flight 4 again when its ServerHello is lost, still without a HelloVerifyRequest, and the handshake completes", async () => {
    let lost = false;
    const pair = await connectThroughRelay({
      delayMs: 10,
      // The first flight 4 datagram (ServerHello) is lost: the viewer times out and resends its ClientHello.
      drop: (d) => (!lost && d.dir === "to-viewer" && (d.dtls ?? []).some((r) => r.handshake === 2) ? (lost = true) : false),
    });
    try {
      await within(pair.cameraConnected, 8000, "connected");
      const toViewer = handshakes(pair.relay.log, "to-viewer");
      expect(toViewer).not.toContain(3);
      expect(toViewer.filter((t) => t === 2).length).toBeGreaterThanOrEqual(2);
    } finally {
      await pair.close();
    }
  });
});
