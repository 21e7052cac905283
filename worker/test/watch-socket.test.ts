// One round trip for a signed-in viewer: /ws/watch/:serial with the session cookie is grant and
// signaling socket at once. Same checks as POST /api/sessions + /ws/view, same grant for the
// camera, and the socket's first message carries what the grant's HTTP answer did.
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, VIEWER_NAT_CLAIM, formatViewerNatParam } from "../../protocol/index.ts";
import { api, claim, signUp } from "./support/accounts.ts";
import { connectDevice, VIEWER_HELLO } from "./support/connect.ts";
import { call } from "./support/http.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets, TestSocket } from "./support/test-socket.ts";

afterEach(closeAllSockets);

async function openWatch(serial: string, cookie?: string, query = `?v=${PROTOCOL_VERSION}`): Promise<TestSocket> {
  return TestSocket.from(await call(`/ws/watch/${serial}${query}`, { headers: { upgrade: "websocket", ...(cookie ? { cookie } : {}) } }));
}

describe("/ws/watch: grant and socket in one request", () => {
  it("starts a session for a signed-in owner: session-info, then welcome, and the camera gets a grant it can verify", async () => {
    const device = await provisionDevice();
    const camera = await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    const nat = { mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", udpBlocked: false } as const;
    const viewer = await openWatch(device.serial, owner.cookie, `?v=${PROTOCOL_VERSION}&nat=${formatViewerNatParam(nat)}`);
    const info = await viewer.expectMessage("session-info");
    expect(info.reportToken).toEqual(expect.any(String));
    // No hello: the upgrade was it.
    const welcome = await viewer.expectMessage("welcome");
    expect(welcome).toMatchObject({ sessionId: info.sessionId, v: PROTOCOL_VERSION, serial: device.serial });
    const start = await camera.expectMessage("session-start");
    expect(start.sessionId).toBe(info.sessionId);
    const grant = decodeJwt(start.grant as string);
    expect(grant).toMatchObject({ sub: device.serial, sid: info.sessionId, uid: owner.id, role: "owner", [VIEWER_NAT_CLAIM]: nat });
  });

  it("refuses an upgrade without a protocol version, and one with a version the edge does not speak", async () => {
    const device = await provisionDevice();
    const camera = await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    const none = await openWatch(device.serial, owner.cookie, "");
    expect((await none.expectMessage("error")).code).toBe("bad_request");
    const future = await openWatch(device.serial, owner.cookie, "?v=999");
    await future.expectMessage("session-info");
    expect((await future.expectMessage("error")).code).toBe("unsupported_version");
    await expect(camera.next(300)).rejects.toThrow(/no message/);
  });

  it("closes a viewer that sends a hello anyway (1008, duplicate hello) and ends its session on the camera", async () => {
    const device = await provisionDevice();
    const camera = await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    const viewer = await openWatch(device.serial, owner.cookie);
    await viewer.expectMessage("session-info");
    await viewer.expectMessage("welcome");
    const start = await camera.expectMessage("session-start");
    viewer.send(VIEWER_HELLO);
    expect(await viewer.closed).toMatchObject({ code: 1008, reason: expect.stringContaining("duplicate hello") });
    expect((await camera.expectMessage("session-end")).sessionId).toBe(start.sessionId);
  });

  it("refuses a viewer without a session cookie with not_signed_in inside the socket", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const viewer = await openWatch(device.serial);
    expect((await viewer.expectMessage("error")).code).toBe("not_signed_in");
    expect((await viewer.closed).code).toBe(4401);
  });

  it("refuses a signed-in user who has no access to the camera, and never tells the camera", async () => {
    const device = await provisionDevice();
    const camera = await connectDevice(device);
    const stranger = await signUp();
    const viewer = await openWatch(device.serial, stranger.cookie);
    expect((await viewer.expectMessage("error")).code).toBe("no_access");
    await viewer.closed;
    await expect(camera.next(300)).rejects.toThrow(/no message/);
  });

  it("refuses a cookie ended by sign-out everywhere and an unknown serial, each in one query, and never tells the camera", async () => {
    const device = await provisionDevice();
    const camera = await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    const unknown = await openWatch("PH-0000-NONE", owner.cookie);
    expect((await unknown.expectMessage("error")).code).toBe("device_not_found");
    expect((await api("POST", "/api/auth/logout-all", { cookie: owner.cookie, body: {} })).status).toBe(200);
    // The JWT still verifies; the user row's session version no longer matches it.
    const stale = await openWatch(device.serial, owner.cookie);
    expect((await stale.expectMessage("error")).code).toBe("not_signed_in");
    await expect(camera.next(300)).rejects.toThrow(/no message/);
  });

  it("says device_offline when the owner's camera is not connected", async () => {
    const device = await provisionDevice();
    const owner = await signUp();
    const camera = await connectDevice(device);
    await claim(owner, device);
    camera.ws.close(1000, "bye");
    await camera.closed;
    const viewer = await openWatch(device.serial, owner.cookie);
    const first = await viewer.next();
    // session-info may come first (the grant was made); the refusal follows on the same socket.
    const refusal = first.type === "session-info" ? await viewer.next() : first;
    expect(refusal).toMatchObject({ type: "error", code: "device_offline" });
  });

  it("drops a malformed NAT parameter rather than signing it into the grant", async () => {
    const device = await provisionDevice();
    const camera = await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    const viewer = await openWatch(device.serial, owner.cookie, `?v=${PROTOCOL_VERSION}&nat=sideways.%3Cscript%3E.1`);
    await viewer.expectMessage("session-info");
    await viewer.expectMessage("welcome");
    expect(decodeJwt((await camera.expectMessage("session-start")).grant as string)).not.toHaveProperty(VIEWER_NAT_CLAIM);
  });
});
