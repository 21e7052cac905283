import { describe, expect, it } from "vitest";
import { createZmtpDecoder, zmtpGreeting, zmtpReady, zmtpRequest } from "./zmtp.ts";

describe("ZMTP 3.0 framing for ffmpeg's zmq filter", () => {
  it("writes a 64-byte NULL-mechanism greeting", () => {
    const g = zmtpGreeting();
    expect(g.length).toBe(64);
    expect([g[0], g[9], g[10]]).toEqual([0xff, 0x7f, 3]);
    expect(g.subarray(12, 16).toString()).toBe("NULL");
  });

  it("decodes a peer's greeting, READY command and a reply split across chunks", () => {
    const wire = Buffer.concat([zmtpGreeting(), zmtpReady("REP"), zmtpRequest("0 Success")]);
    const d = createZmtpDecoder();
    const items = [];
    for (let i = 0; i < wire.length; i += 7) items.push(...d.push(wire.subarray(i, i + 7)));
    expect(items[0]).toEqual({ kind: "command", name: "READY" });
    expect(items[1]?.kind).toBe("message");
    if (items[1]?.kind !== "message") throw new Error();
    expect(items[1].frames.map((f) => f.toString())).toEqual(["", "0 Success"]);
  });

  it("uses the long frame form for bodies over 255 bytes", () => {
    const body = "x".repeat(300);
    const d = createZmtpDecoder();
    d.push(zmtpGreeting());
    const items = d.push(zmtpRequest(body));
    expect(items).toHaveLength(1);
    if (items[0]?.kind !== "message") throw new Error();
    expect(items[0].frames[1]?.toString()).toBe(body);
  });

  it("refuses a peer that is not ZMTP", () => {
    expect(() => createZmtpDecoder().push(Buffer.alloc(64, 1))).toThrow(/not a ZMTP peer/);
  });
});
