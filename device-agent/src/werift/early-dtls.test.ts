import type { RTCPeerConnection } from "werift";
import { describe, expect, it } from "vitest";
import { handshakeFragmentKey, holdEarlyDtls, isDtlsRecord } from "./early-dtls.ts";

/** The subscribe/execute shape of werift's Event, enough for the unit under test. */
function fakeEvent<A extends unknown[]>() {
  let subs: { id: number; fn: (...a: A) => void }[] = [];
  let next = 0;
  return {
    subscribe(fn: (...a: A) => void) {
      const id = next++;
      subs.push({ id, fn });
      return { unSubscribe: () => void (subs = subs.filter((s) => s.id !== id)) };
    },
    execute(...a: A) {
      for (const s of [...subs]) s.fn(...a);
    },
  };
}

function fakePeer() {
  const onData = fakeEvent<[Buffer]>();
  const onStateChange = fakeEvent<[string]>();
  const transport = { state: "new", onStateChange, iceTransport: { connection: { onData } } };
  return { pc: { dtlsTransports: [transport] } as unknown as RTCPeerConnection, onData, onStateChange, transport };
}

const clientHello = Buffer.from([22, 0xfe, 0xfd, 0, 0]);
const stunBinding = Buffer.from([0, 1, 0, 0]);
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("holding early DTLS datagrams", () => {
  it("recognises DTLS records by their first byte (RFC 7983)", () => {
    expect(isDtlsRecord(clientHello)).toBe(true);
    expect(isDtlsRecord(stunBinding)).toBe(false);
    expect(isDtlsRecord(Buffer.from([128, 96]))).toBe(false); // RTP
    expect(isDtlsRecord(Buffer.alloc(0))).toBe(false);
  });

  it("hands a ClientHello that arrived before DTLS started to the DTLS endpoint once it starts", async () => {
    const { pc, onData, onStateChange } = fakePeer();
    expect(holdEarlyDtls(pc)).toBe(1);
    onData.execute(stunBinding);
    onData.execute(clientHello);

    const seenByDtls: Buffer[] = [];
    onStateChange.execute("connecting");
    // werift's DTLS endpoint subscribes right after "connecting", in the same tick.
    onData.subscribe((d) => seenByDtls.push(d));
    await flush();
    expect(seenByDtls).toEqual([clientHello]);
  });

  it("stops holding once DTLS has started, so nothing is delivered twice", async () => {
    const { pc, onData, onStateChange } = fakePeer();
    holdEarlyDtls(pc);
    onStateChange.execute("connecting");
    const seen: Buffer[] = [];
    onData.subscribe((d) => seen.push(d));
    await flush();
    onData.execute(clientHello);
    await flush();
    expect(seen).toEqual([clientHello]);
  });

  it("drops what it held when the transport closes instead of connecting", async () => {
    const { pc, onData, onStateChange } = fakePeer();
    holdEarlyDtls(pc);
    onData.execute(clientHello);
    const seen: Buffer[] = [];
    onData.subscribe((d) => seen.push(d));
    seen.length = 0;
    onStateChange.execute("closed");
    await flush();
    expect(seen).toEqual([]);
  });

  it("leaves transports that already started alone", () => {
    const { pc, transport } = fakePeer();
    transport.state = "connected";
    expect(holdEarlyDtls(pc)).toBe(0);
  });
});

/** A DTLS 1.2 handshake record with one fragment (RFC 6347 §4.1, §4.2.2). */
function handshakeRecord(recordSeq: number, msgType: number, messageSeq: number, offset: number, fragment: number[]): Buffer {
  const hs = Buffer.alloc(12 + fragment.length);
  hs[0] = msgType;
  hs.writeUIntBE(300, 1, 3);
  hs.writeUInt16BE(messageSeq, 4);
  hs.writeUIntBE(offset, 6, 3);
  hs.writeUIntBE(fragment.length, 9, 3);
  Buffer.from(fragment).copy(hs, 12);
  const rec = Buffer.alloc(13);
  rec[0] = 22;
  rec.writeUInt16BE(0xfefd, 1);
  rec.writeUIntBE(recordSeq, 5, 6);
  rec.writeUInt16BE(hs.length, 11);
  return Buffer.concat([rec, hs]);
}

describe("deduplicating a retransmitted first flight", () => {
  it("names a handshake fragment by type, message sequence, offset and length, not by record sequence", () => {
    const a = handshakeRecord(0, 1, 0, 0, [1, 2, 3]);
    const b = handshakeRecord(7, 1, 0, 0, [1, 2, 3]);
    expect(handshakeFragmentKey(a)).toBe("1:0:0:3");
    expect(handshakeFragmentKey(b)).toBe(handshakeFragmentKey(a));
    expect(handshakeFragmentKey(handshakeRecord(1, 1, 0, 3, [4, 5]))).toBe("1:0:3:2");
    expect(handshakeFragmentKey(Buffer.from([21, 0xfe, 0xfd]))).toBeNull();
  });

  it("hands werift each fragment of a fragmented ClientHello once, however often it was resent", async () => {
    const { pc, onData, onStateChange } = fakePeer();
    holdEarlyDtls(pc);
    const frag1 = (seq: number) => handshakeRecord(seq, 1, 0, 0, [1, 2, 3]);
    const frag2 = (seq: number) => handshakeRecord(seq, 1, 0, 3, [4, 5]);
    for (const d of [frag1(0), frag2(1), frag1(2), frag2(3), frag1(4), frag2(5)]) onData.execute(d);
    onStateChange.execute("connecting");
    const seen: Buffer[] = [];
    onData.subscribe((d) => seen.push(d));
    await flush();
    expect(seen.map((d) => handshakeFragmentKey(d))).toEqual(["1:0:0:3", "1:0:3:2"]);
  });
});
