import { describe, expect, it } from "vitest";
import { DeviceToEdgeSchema } from "./device-edge.ts";
import { MAX_SIGNALING_FRAME_BYTES, parseMessage } from "./parse.ts";
import { ViewerToEdgeSchema } from "./viewer-edge.ts";

describe("parseMessage", () => {
  it("accepts a valid viewer hello and returns the typed message", () => {
    const result = parseMessage(ViewerToEdgeSchema, JSON.stringify({ type: "hello", v: 1 }));
    expect(result).toEqual({ ok: true, value: { type: "hello", v: 1 } });
  });

  it("refuses text that is not JSON with close code 1008", () => {
    const result = parseMessage(ViewerToEdgeSchema, "{nope");
    expect(result).toMatchObject({ ok: false, code: "malformed_message", closeCode: 1008, detail: "not JSON" });
  });

  it("refuses an unknown message type and names where it failed", () => {
    const result = parseMessage(ViewerToEdgeSchema, JSON.stringify({ type: "launch-missiles" }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.closeCode).toBe(1008);
      expect(result.detail).toMatch(/type/);
    }
  });

  it("refuses a device offer without a valid session id", () => {
    const result = parseMessage(DeviceToEdgeSchema, JSON.stringify({ type: "offer", sessionId: "x", sdp: "v=0" }));
    expect(result).toMatchObject({ ok: false, code: "malformed_message" });
  });

  it("refuses a frame over the size limit with close code 1009 before parsing it", () => {
    const huge = JSON.stringify({ type: "answer", sdp: "a".repeat(MAX_SIGNALING_FRAME_BYTES) });
    expect(parseMessage(ViewerToEdgeSchema, huge)).toMatchObject({ ok: false, code: "message_too_large", closeCode: 1009 });
  });

  it("counts multi-byte characters in bytes, not characters, against the limit", () => {
    // 3 bytes each in UTF-8: under the limit in characters, over it in bytes.
    const text = JSON.stringify({ type: "bye", reason: "€".repeat(30_000) });
    expect(text.length).toBeLessThan(MAX_SIGNALING_FRAME_BYTES);
    expect(parseMessage(ViewerToEdgeSchema, text)).toMatchObject({ ok: false, closeCode: 1009 });
  });

  it("refuses binary frames: the signaling protocol is JSON text", () => {
    expect(parseMessage(ViewerToEdgeSchema, new Uint8Array([123, 125]))).toMatchObject({ ok: false, closeCode: 1008 });
  });
});
