import { describe, expect, it } from "vitest";
import { handleControlMessage } from "./control-channel.ts";

const device = { serial: "CAM-0001", name: "Porch", source: "demo" };

describe("control channel handler", () => {
  it("answers hello with the device description", () => {
    expect(handleControlMessage(JSON.stringify({ type: "hello", v: 1 }), device).reply).toEqual({
      type: "hello",
      v: 1,
      device,
    });
  });

  it("answers ping with a pong echoing id and t", () => {
    expect(handleControlMessage('{"type":"ping","id":3,"t":99.5}', device).reply).toEqual({ type: "pong", id: 3, t: 99.5 });
  });

  it("answers malformed, unknown and binary messages with an error instead of failing", () => {
    for (const raw of ["nope", '{"type":"reboot"}', '{"type":"ping","id":-1,"t":0}', Buffer.from("{}")]) {
      const r = handleControlMessage(raw, device);
      expect(r.reply).toMatchObject({ type: "error", code: "malformed_message" });
      expect(r.bad).toBeDefined();
    }
  });

  it("refuses an unsupported protocol version with a clear error", () => {
    expect(handleControlMessage('{"type":"hello","v":99}', device).reply).toMatchObject({ type: "error", code: "unsupported_version" });
  });

  it("answers too-large messages with message_too_large", () => {
    const r = handleControlMessage("x".repeat(70_000), device);
    expect(r.reply).toMatchObject({ type: "error", code: "message_too_large" });
  });

  it("does not answer pongs or errors (no reply loops)", () => {
    expect(handleControlMessage('{"type":"pong","id":1,"t":1}', device).reply).toBeNull();
    expect(handleControlMessage('{"type":"error","code":"x","message":"y"}', device).reply).toBeNull();
  });
});
