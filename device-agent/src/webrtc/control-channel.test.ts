import { describe, expect, it } from "vitest";
import { handleControlMessage as handle, gateControlMessage } from "./control-channel.ts";

const handleControlMessage = (raw: string | Buffer, d: typeof device) => handle(raw, d, "guest");

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

describe("control channel capability gate", () => {
  const table = { hello: null, ping: null, "ptz-move": "ptz", "talk-start": "talk" } as const;

  it("refuses a guest a capability-gated message with forbidden, echoing the request id", () => {
    expect(gateControlMessage("guest", { type: "ptz-move", id: 7 }, table)?.reply).toEqual({
      type: "error",
      code: "forbidden",
      message: expect.stringContaining("ptz"),
      id: 7,
    });
  });

  it("refuses access-code sessions the same as guests", () => {
    expect(gateControlMessage("code", { type: "talk-start" }, table)?.reply).toMatchObject({ code: "forbidden" });
  });

  it("lets a viewer and the owner use PTZ and talk", () => {
    for (const role of ["viewer", "owner"] as const) {
      expect(gateControlMessage(role, { type: "ptz-move" }, table)).toBeNull();
      expect(gateControlMessage(role, { type: "talk-start" }, table)).toBeNull();
    }
  });

  it("refuses a message type the table does not list, even to a viewer (deny by default)", () => {
    expect(gateControlMessage("viewer", { type: "reboot" }, table)?.reply).toMatchObject({ code: "forbidden" });
    expect(gateControlMessage("owner", { type: "reboot" }, table)).toBeNull();
  });

  it("lets every role say hello and ping over the real table", () => {
    expect(handle('{"type":"ping","id":1,"t":2}', device, "guest").reply).toEqual({ type: "pong", id: 1, t: 2 });
    expect(handle('{"type":"hello","v":1}', device, "code").reply).toMatchObject({ type: "hello" });
  });
});
