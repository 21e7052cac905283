// Signaling resume through the real route and DeviceHub in workerd: a viewer whose socket
// dropped continues the same session on a new one with its resume token; the device never
// hears session-end, and a reconnecting device keeps the sessions its hello lists.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { RESUME_QUERY } from "../../protocol/index.ts";
import type { CreateSessionResponse } from "../../protocol/index.ts";
import { claim, requestUserSession, signUp, startUserViewer } from "./support/accounts.ts";
import { connectDevice, DEVICE_HELLO, deviceUpgrade, openViewer, ticketFor, VIEWER_HELLO } from "./support/connect.ts";
import { setCameraPolicy } from "./support/grants.ts";
import { call } from "./support/http.ts";
import { provisionDevice, type TestDevice } from "./support/provision.ts";
import { closeAllSockets, TestSocket } from "./support/test-socket.ts";

afterEach(closeAllSockets);

function openResume(serial: string, sessionId: string, token: string): Promise<TestSocket> {
  const q = `${RESUME_QUERY.sessionId}=${encodeURIComponent(sessionId)}&${RESUME_QUERY.token}=${encodeURIComponent(token)}`;
  return call(`/ws/view/${serial}?${q}`, { headers: { upgrade: "websocket" } }).then((res) => TestSocket.from(res));
}

async function watching(device: TestDevice, deviceSocket: TestSocket) {
  const { ticket, sessionId } = await ticketFor(device);
  const viewer = await openViewer(device.serial, ticket);
  viewer.send(VIEWER_HELLO);
  const welcome = await viewer.expectMessage("welcome");
  await deviceSocket.expectMessage("session-start");
  return { viewer, sessionId, token: welcome.resumeToken as string };
}

describe("viewer resume in workerd", () => {
  it("continues the same session on a new socket: welcome resumed, a new token, no session-start or session-end on the device", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId, token } = await watching(device, deviceSocket);

    viewer.close(4000, "network changed");
    await viewer.waitClosed();
    const again = await openResume(device.serial, sessionId, token);
    again.send(VIEWER_HELLO);
    const welcome = await again.expectMessage("welcome");

    expect(welcome).toMatchObject({ sessionId, resumed: true });
    expect(welcome.resumeToken).not.toBe(token);
    await deviceSocket.expectSilence();
    // Signaling works again for this session: an ICE restart reaches the device.
    again.send({ type: "restart" });
    expect(await deviceSocket.expectMessage("restart")).toEqual({ type: "restart", sessionId });
  });

  it("refuses a used token with session_ended (4010)", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId, token } = await watching(device, deviceSocket);
    viewer.close(4000, "drop");
    await viewer.waitClosed();
    const first = await openResume(device.serial, sessionId, token);
    first.send(VIEWER_HELLO);
    await first.expectMessage("welcome");

    const second = await openResume(device.serial, sessionId, token);
    expect((await second.expectMessage("error")).code).toBe("session_ended");
    expect((await second.waitClosed()).code).toBe(4010);
  });

  it("refuses a malformed token before it reaches the hub", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const viewer = await openResume(device.serial, "S-NOPE-00001", "short");
    expect((await viewer.expectMessage("error")).code).toBe("session_ended");
  });

  it("ends a session in grace when the owner ends every session (camera released), so it cannot be resumed", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId, token } = await watching(device, deviceSocket);
    viewer.close(4000, "drop");
    await viewer.waitClosed();

    const stub = env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(device.serial));
    expect(await stub.endAllSessions("access_revoked")).toBe(1);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId, reason: "access_revoked" });
    const again = await openResume(device.serial, sessionId, token);
    expect((await again.expectMessage("error")).code).toBe("session_ended");
  });

  it("ends the session on the device after the grace period when the viewer does not come back", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await watching(device, deviceSocket);
    viewer.close(4000, "gone");
    await viewer.waitClosed();
    await deviceSocket.expectSilence();

    const stub = env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(device.serial));
    await runInDurableObject(stub, (_hub, state) => {
      state.storage.sql.exec("UPDATE live_sessions SET until = ?", Date.now() - 1);
    });
    // The hub keeps its state in memory and rebuilds it from storage only when it wakes.
    await evictDurableObject(stub);
    await runInDurableObject(stub, (hub) => hub.alarm());
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId });
  });

  it("resumes a session after the edge restarted and dropped every socket without a close event", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId, token } = await watching(device, deviceSocket);

    // A deploy or crash: the object resets, its sockets vanish, webSocketClose never runs.
    const stub = env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(device.serial));
    await runInDurableObject(stub, (_hub, state) => state.abort("edge restart")).catch(() => undefined);
    await viewer.waitClosed();
    await deviceSocket.waitClosed();

    // The viewer is back first: the camera counts as away, so the resume is accepted.
    const again = await openResume(device.serial, sessionId, token);
    again.send(VIEWER_HELLO);
    expect(await again.expectMessage("welcome")).toMatchObject({ sessionId, resumed: true });
    // Then the camera, still playing the session, says so in its hello and keeps it.
    const back = TestSocket.from(await deviceUpgrade(device.serial, device.token));
    back.send({ ...DEVICE_HELLO, sessions: [sessionId] });
    await back.expectMessage("welcome");
    await back.expectSilence();
    again.send({ type: "restart" });
    expect(await back.expectMessage("restart")).toEqual({ type: "restart", sessionId });
  });

  it("keeps a viewer watching while the device reconnects, when the device's hello lists the session", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await watching(device, deviceSocket);

    deviceSocket.close(1001, "network blip");
    await deviceSocket.waitClosed();
    const res = await deviceUpgrade(device.serial, device.token);
    const back = TestSocket.from(res);
    back.send({ ...DEVICE_HELLO, sessions: [sessionId] });
    await back.expectMessage("welcome");

    await viewer.expectSilence();
    viewer.send({ type: "restart" });
    expect(await back.expectMessage("restart")).toEqual({ type: "restart", sessionId });
  });

  it("lets a signed-in viewer reopen a full camera: their own session waiting in grace gives up its slot", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    await setCameraPolicy(device.serial, 1);
    const first = await startUserViewer(owner, device.serial, deviceSocket);
    first.viewer.close(4000, "phone lost its network");
    await first.viewer.waitClosed();
    await deviceSocket.expectSilence();

    // Reopened before the grace ran out: the parked session ends at once (the camera is told),
    // and the new one is admitted on the camera's only slot.
    const res = await requestUserSession(owner, device.serial);
    expect(res.status).toBe(201);
    const { ticket, sessionId } = (await res.json()) as CreateSessionResponse;
    const viewer = await openViewer(device.serial, ticket);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId: first.sessionId, reason: "replaced by a new session from the same account" });
    viewer.send(VIEWER_HELLO);
    expect(await viewer.expectMessage("welcome")).toMatchObject({ sessionId });
    expect((await deviceSocket.expectMessage("session-start")).sessionId).toBe(sessionId);
  });
});
