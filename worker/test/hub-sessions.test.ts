// The hub in workerd: the heartbeat alarm frees a vanished viewer's slot, the RPCs the HTTP
// side calls end sessions, and every session leaves a row in viewer_sessions.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { DeviceHub } from "../src/hub/device-hub.ts";
import type { Conn } from "../src/hub/types.ts";
import { connectDevice, openViewer, VIEWER_HELLO } from "./support/connect.ts";
import { grantAccess, hubStub, mintGrant, setCameraPolicy } from "./support/grants.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets, type TestSocket } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

afterEach(closeAllSockets);

async function watch(serial: string, ticket: string): Promise<TestSocket> {
  const viewer = await openViewer(serial, ticket);
  viewer.send(VIEWER_HELLO);
  await viewer.expectMessage("welcome");
  return viewer;
}

async function sessionRow(sessionId: string) {
  return env.DB.prepare("SELECT * FROM viewer_sessions WHERE session_id = ?").bind(sessionId).first<Record<string, any>>();
}

describe("heartbeat in workerd", () => {
  it("brings the alarm forward to the viewer's heartbeat check when a viewer joins a camera whose own check is far off", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const stub = hubStub(device.serial);
    const cameraOnly = await runInDurableObject(stub, (_hub: DeviceHub, state) => state.storage.getAlarm());
    expect(cameraOnly).not.toBeNull();
    await watch(device.serial, (await mintGrant(device.serial)).ticket);
    const withViewer = await runInDurableObject(stub, (_hub: DeviceHub, state) => state.storage.getAlarm());
    // A viewer silent for 15 s must be noticed within the next 5 s check, not at the camera's.
    expect(withViewer).not.toBeNull();
    expect(withViewer!).toBeLessThan(cameraOnly!);
    expect(withViewer! - Date.now()).toBeLessThanOrEqual(5_000);
  });

  it("arms an alarm while a viewer is connected, closes a viewer silent for 15 s with heartbeat_timeout (4408) and ends its session after the grace", async () => {
    const device = await provisionDevice();
    await setCameraPolicy(device.serial, 1);
    const deviceSocket = await connectDevice(device);
    const viewer = await watch(device.serial, (await mintGrant(device.serial)).ticket);
    const stub = hubStub(device.serial);

    // Pretend the viewer's last sign of life was 20 s ago (its pings stopped).
    await runInDurableObject(stub, async (_hub: DeviceHub, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
      for (const ws of state.getWebSockets("viewer")) {
        const c = ws.deserializeAttachment() as Conn;
        ws.serializeAttachment({ ...c, connectedAt: Date.now() - 20_000, lastActiveAt: Date.now() - 20_000 });
      }
    });
    // The hub keeps its state in memory and rebuilds it from storage only when it wakes.
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await viewer.waitClosed()).code).toBe(4408);
    await deviceSocket.expectMessage("session-start");
    // The session waits in grace for a resume; the viewer does not come back.
    await deviceSocket.expectSilence();
    await runInDurableObject(stub, (_hub: DeviceHub, state) => {
      state.storage.sql.exec("UPDATE live_sessions SET until = ?", Date.now() - 1);
    });
    // The hub keeps its state in memory and rebuilds it from storage only when it wakes.
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ reason: expect.stringContaining("did not come back") });

    // The slot is free at once. With no viewer left only the camera's silence is watched: the
    // next check is when it would be overdue (3 pings, 90 s), not every 5 s.
    const next = await watch(device.serial, (await mintGrant(device.serial)).ticket);
    next.send({ type: "bye" });
    await next.waitClosed();
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, async (_hub: DeviceHub, state) => expect(await state.storage.getAlarm()).toBeGreaterThan(Date.now() + 60_000));
    // With the camera gone too, the alarm stops.
    deviceSocket.ws.close(1000, "agent stopping");
    await deviceSocket.closed;
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, async (_hub: DeviceHub, state) => expect(await state.storage.getAlarm()).toBeNull());
  });

  it("keeps a viewer whose only sign of life is a ping workerd answered without waking the hub", async () => {
    const device = await provisionDevice();
    await setCameraPolicy(device.serial, 1);
    await connectDevice(device);
    const viewer = await watch(device.serial, (await mintGrant(device.serial)).ticket);
    const pong = new Promise<void>((resolve) => viewer.ws.addEventListener("message", (e) => e.data === "pong" && resolve()));
    viewer.ws.send("ping");
    await pong;
    await runInDurableObject(hubStub(device.serial), async (_hub: DeviceHub, state) => {
      for (const ws of state.getWebSockets("viewer")) {
        const c = ws.deserializeAttachment() as Conn;
        ws.serializeAttachment({ ...c, connectedAt: Date.now() - 20_000, lastActiveAt: Date.now() - 20_000 });
      }
    });
    // The hub keeps its state in memory and rebuilds it from storage only when it wakes.
    await evictDurableObject(hubStub(device.serial));
    await runDurableObjectAlarm(hubStub(device.serial));
    await new Promise((r) => setTimeout(r, 100));
    expect(viewer.isClosed).toBe(false);
  });
});

describe("ending sessions by RPC", () => {
  it("endSessionsForUser cuts only that user's viewer with the given code and tells the device", async () => {
    const device = await provisionDevice();
    await grantAccess(device.serial, `u-alice-${device.serial}`, "owner");
    await grantAccess(device.serial, `u-bob-${device.serial}`, "guest");
    const deviceSocket = await connectDevice(device);
    const alice = await watch(device.serial, (await mintGrant(device.serial, { userId: `u-alice-${device.serial}`, role: "owner" })).ticket);
    const bobGrant = await mintGrant(device.serial, { userId: `u-bob-${device.serial}`, role: "guest" });
    const bob = await watch(device.serial, bobGrant.ticket);
    await deviceSocket.expectMessage("session-start");
    const bobStart = await deviceSocket.expectMessage("session-start");
    expect(bobStart.grant).toBe(bobGrant.ticket);

    expect(await hubStub(device.serial).endSessionsForUser(`u-bob-${device.serial}`, "access_revoked")).toBe(1);
    expect(await bob.next()).toMatchObject({ type: "error", code: "access_revoked" });
    expect((await bob.waitClosed()).code).toBe(4403);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId: bobGrant.sessionId, reason: "access_revoked" });
    expect(alice.isClosed).toBe(false);

    expect(await hubStub(device.serial).endAllSessions("device_offline")).toBe(1);
    expect((await alice.waitClosed()).code).toBe(4409);
  });

  it("refuses a grant whose share was revoked after it was minted", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const grant = await mintGrant(device.serial, { userId: `u-gone-${device.serial}`, role: "viewer" });
    const viewer = await openViewer(device.serial, grant.ticket);
    expect(await viewer.next()).toMatchObject({ type: "error", code: "access_revoked" });
  });

  it("refuses an access-code grant when the owner has turned code viewing off", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    await setCameraPolicy(device.serial, 3, false);
    const viewer = await openViewer(device.serial, (await mintGrant(device.serial)).ticket);
    expect(await viewer.next()).toMatchObject({ type: "error", code: "code_viewing_disabled" });
  });
});

describe("session history", () => {
  it("records who watched, the path and how the session ended", async () => {
    const device = await provisionDevice();
    const userId = `u-hist-${device.serial}`;
    await grantAccess(device.serial, userId, "viewer");
    await connectDevice(device);
    const grant = await mintGrant(device.serial, { userId, role: "viewer" });
    const viewer = await watch(device.serial, grant.ticket);
    const started = await eventually(() => sessionRow(grant.sessionId), (r) => r !== null);
    expect(started).toMatchObject({ serial: device.serial, user_id: userId, role: "viewer", ended_at: null });

    viewer.send({ type: "path", path: "p2p" });
    await eventually(() => sessionRow(grant.sessionId), (r) => r?.path === "p2p");
    viewer.send({ type: "bye" });
    const ended = await eventually(() => sessionRow(grant.sessionId), (r) => r?.ended_at !== null);
    expect(ended).toMatchObject({ end_reason: "session_ended" });
    expect(ended!.duration_ms).toBeGreaterThanOrEqual(0);
  });
});
