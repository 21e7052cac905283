import { describe, expect, it } from "vitest";
import type { DcRequest } from "../../../protocol/index.ts";
import { ControlFailure } from "./control-failure.ts";
import { routeControlRequest } from "./control-router.ts";
import type { ControlHandlers, ControlSession } from "./control-session.ts";
import { fixedStream } from "../webrtc/session-controls.ts";

const session = (role: ControlSession["role"]): ControlSession => ({
  sessionId: "s1",
  role,
  label: role,
  emit() {},
  async sendBulk() {},
  stream: fixedStream(),
});
const req = (method: string, params?: unknown): DcRequest => ({ type: "req", id: 7, method, ...(params !== undefined ? { params } : {}) });
const handlers: ControlHandlers = {
  "ptz.stop": async () => ({}),
  "ptz.goto": async ({ token }) => {
    if (token === "missing") throw ControlFailure.notFound("no preset missing");
    return {};
  },
  "ptz.home": async () => {
    throw new Error("motor jammed");
  },
  "ptz.status": async () => ({ bogus: true }) as never,
  "settings.get": () => new Promise(() => {}),
};

describe("control router", () => {
  it("answers a permitted request with its result and the request's id", async () => {
    expect((await routeControlRequest(req("ptz.stop", {}), handlers, session("viewer"))).response).toEqual({ type: "res", id: 7, ok: true, result: {} });
  });

  it("refuses a method the role lacks with forbidden, before the handler runs", async () => {
    const r = await routeControlRequest(req("ptz.stop", {}), handlers, session("guest"));
    expect(r.response).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("answers unknown methods, bad params and missing handlers with distinct codes", async () => {
    expect((await routeControlRequest(req("reboot"), handlers, session("owner"))).failure?.code).toBe("unknown_method");
    const bad = await routeControlRequest(req("ptz.move", { pan: 3, tilt: 0, zoom: 0 }), handlers, session("owner"));
    expect(bad.failure).toMatchObject({ code: "invalid_value", field: "pan" });
    expect((await routeControlRequest(req("snapshot.take", {}), handlers, session("owner"))).failure?.code).toBe("unsupported");
  });

  it("turns handler failures into error replies: typed, unexpected and invalid results", async () => {
    expect((await routeControlRequest(req("ptz.goto", { token: "missing" }), handlers, session("owner"))).failure?.code).toBe("not_found");
    const jam = await routeControlRequest(req("ptz.home", {}), handlers, session("owner"));
    expect(jam.failure).toMatchObject({ code: "internal", message: expect.stringContaining("motor jammed") });
    expect((await routeControlRequest(req("ptz.status", {}), handlers, session("owner"))).failure?.code).toBe("internal");
  });

  it("answers timeout when a handler never settles", async () => {
    const r = await routeControlRequest(req("settings.get", {}), handlers, session("owner"), 20);
    expect(r.failure?.code).toBe("timeout");
  });
});
