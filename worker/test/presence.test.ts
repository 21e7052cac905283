// Presence (GET /api/devices/:serial) is derived from the sockets the DeviceHub holds, and the
// last-seen time from D1; both must stay right across disconnects, replacement and eviction.
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { DevicePresence } from "../../protocol/index.ts";
import { connectDevice, DEVICE_HELLO, deviceUpgrade, openViewer, startViewer, ticketFor, VIEWER_HELLO } from "./support/connect.ts";
import { call, errorOf } from "./support/http.ts";
import { uniqueSerial } from "./support/ids.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets, TestSocket } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

afterEach(closeAllSockets);

async function presence(serial: string): Promise<DevicePresence> {
  const res = await call(`/api/devices/${serial}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return (await res.json()) as DevicePresence;
}

async function lastSeenInD1(serial: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT last_seen_at FROM devices WHERE serial = ?").bind(serial).first<{ last_seen_at: number | null }>();
  return row?.last_seen_at ?? null;
}

function hubStub(serial: string) {
  return env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(serial));
}

describe("device presence", () => {
  it("reports a camera that never connected as offline with no last-seen time", async () => {
    const device = await provisionDevice();
    expect(await presence(device.serial)).toEqual({
      serial: device.serial,
      name: device.serial,
      vendor: device.vendor.name,
      online: false,
      lastSeenAt: null,
      viewers: 0,
    });
  });

  it("answers device_not_found (404) for an unknown or malformed serial", async () => {
    for (const serial of [uniqueSerial(), "not-a-serial"]) {
      const res = await call(`/api/devices/${serial}`);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe("device_not_found");
    }
  });

  it("stays offline while the device socket is open but has not said hello", async () => {
    const device = await provisionDevice();
    const socket = TestSocket.from(await deviceUpgrade(device.serial, device.token));
    expect((await presence(device.serial)).online).toBe(false);
    socket.close();
  });

  it("reports the camera online once it has said hello", async () => {
    const device = await provisionDevice();
    const before = Date.now();
    await connectDevice(device);

    const p = await presence(device.serial);

    expect(p.online).toBe(true);
    expect(Date.parse(p.lastSeenAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(await lastSeenInD1(device.serial)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("counts the viewers whose session is under way", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    await startViewer(device, socket);
    await startViewer(device, socket);
    expect((await presence(device.serial)).viewers).toBe(2);
  });

  it("reports the camera offline with its last-seen time once the device socket closes", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    // Let the hello's own last-seen write land, so the one checked below is the disconnect's.
    await new Promise((r) => setTimeout(r, 50));
    const closedAt = Date.now();

    socket.close(1000, "shutting down");
    await socket.waitClosed();
    const p = await eventually(() => presence(device.serial), (x) => !x.online);

    expect(p.lastSeenAt).not.toBeNull();
    expect(Date.parse(p.lastSeenAt!)).toBeGreaterThanOrEqual(closedAt);
    expect(await lastSeenInD1(device.serial)).toBeGreaterThanOrEqual(closedAt);
  });

  it("keeps presence and relaying right after the hub is evicted with hibernated sockets", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    const first = await startViewer(device, socket);

    await evictDurableObject(hubStub(device.serial));

    expect(await presence(device.serial)).toMatchObject({ online: true, viewers: 1 });
    // The sockets survived: an existing session still relays, and a new one can start.
    socket.send({ type: "offer", sessionId: first.sessionId, sdp: "v=0\r\n" });
    expect(await first.viewer.expectMessage("offer")).toEqual({ type: "offer", sdp: "v=0\r\n" });
    const second = await startViewer(device, socket);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect((await presence(device.serial)).viewers).toBe(2);
  });

  it("refuses a reused ticket even after the hub was evicted", async () => {
    const device = await provisionDevice();
    const socket = await connectDevice(device);
    const { ticket } = await ticketFor(device);
    const first = await openViewer(device.serial, ticket);
    first.send(VIEWER_HELLO);
    await first.expectMessage("welcome");
    await socket.expectMessage("session-start");

    await evictDurableObject(hubStub(device.serial));

    const again = await openViewer(device.serial, ticket);
    expect((await again.expectMessage("error")).code).toBe("ticket_invalid");
  });

  it("replaces the first device connection with a second one cleanly: the first is closed 4000 and the camera stays online", async () => {
    const device = await provisionDevice();
    const first = await connectDevice(device);

    const second = TestSocket.from(await deviceUpgrade(device.serial, device.token));

    expect(await first.waitClosed()).toEqual({ code: 4000, reason: "device_replaced" });
    second.send(DEVICE_HELLO);
    await second.expectMessage("welcome");
    // The first socket's close must not take the camera offline or cut the new connection.
    await new Promise((r) => setTimeout(r, 50));
    expect((await presence(device.serial)).online).toBe(true);
    const { sessionId } = await startViewer(device, second);
    expect(sessionId).toBeTruthy();
    expect(second.isClosed).toBe(false);
  });
});
