// The viewer limit under a real burst: 50 viewers hit one camera's DeviceHub at the same
// instant; exactly max_viewers are admitted, the rest hear device_busy (4503), and slots free
// up again when viewers leave.
import { afterEach, describe, expect, it } from "vitest";
import { connectDevice, openViewer, VIEWER_HELLO } from "./support/connect.ts";
import { mintGrant, setCameraPolicy } from "./support/grants.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets, type TestSocket } from "./support/test-socket.ts";

afterEach(closeAllSockets);

/** Says hello (if the socket is still open) and returns the first thing the viewer heard. */
async function outcome(viewer: TestSocket): Promise<Record<string, any>> {
  try {
    viewer.send(VIEWER_HELLO);
  } catch {
    // Already refused and closed: its error is in the inbox.
  }
  return viewer.next(5_000);
}

describe("viewer limit under a burst", () => {
  it.each([3, 1, 10])("admits exactly %i of 50 viewers connecting at once and refuses the rest with device_busy", async (limit) => {
    const device = await provisionDevice();
    await setCameraPolicy(device.serial, limit);
    const deviceSocket = await connectDevice(device);

    const grants = await Promise.all(Array.from({ length: 50 }, () => mintGrant(device.serial)));
    const viewers = await Promise.all(grants.map((g) => openViewer(device.serial, g.ticket)));
    const results = await Promise.all(viewers.map(outcome));

    const admitted = viewers.filter((_, i) => results[i]!.type === "welcome");
    const refused = viewers.filter((_, i) => results[i]!.type === "error");
    expect(admitted).toHaveLength(limit);
    expect(refused).toHaveLength(50 - limit);
    for (const r of results.filter((x) => x.type === "error")) {
      expect(r).toMatchObject({ code: "device_busy", watching: limit, limit, message: `${limit} of ${limit} viewers are watching.` });
    }
    for (const v of refused) expect((await v.waitClosed()).code).toBe(4503);

    // The device was asked to start exactly the admitted sessions.
    const starts = await Promise.all(admitted.map(() => deviceSocket.expectMessage("session-start")));
    expect(new Set(starts.map((s) => s.sessionId)).size).toBe(limit);
    for (const s of starts) expect(typeof s.grant).toBe("string");

    // Still full: one more is refused.
    const extra = await openViewer(device.serial, (await mintGrant(device.serial)).ticket);
    expect(await outcome(extra)).toMatchObject({ code: "device_busy" });

    // The admitted viewers leave; their slots are free again.
    for (const v of admitted) v.send({ type: "bye" });
    await Promise.all(admitted.map((v) => v.waitClosed()));
    const next = await Promise.all(Array.from({ length: limit }, async () => openViewer(device.serial, (await mintGrant(device.serial)).ticket)));
    for (const r of await Promise.all(next.map(outcome))) expect(r.type).toBe("welcome");
  });
});
