import type { RTCPeerConnection } from "werift";
import { describe, expect, it } from "vitest";
import { holdEarlyDtls, isDtlsRecord } from "./early-dtls.ts";

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
