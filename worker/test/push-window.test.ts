// The camera's notification window in the real DeviceHub (workerd): a burst of events sends one
// notification and holds the rest, the hub's alarm is set for the summary, and the alarm tick
// once the minute is over takes the summary (the window starts again), even with no new event.
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { CAMERA_PUSH_INTERVAL_MS } from "../src/push/camera-push-window.ts";
import { connectDevice } from "./support/connect.ts";
import { hubStub } from "./support/grants.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

type WindowRow = {
  sent_at: number | null;
  suppressed: number;
  last_id: string | null;
};

function windowOf(serial: string): Promise<{ row: WindowRow | undefined; alarm: number | null }> {
  return runInDurableObject(hubStub(serial), async (_hub, state) => ({
    row: state.storage.sql.exec<WindowRow>("SELECT sent_at, suppressed, last_id FROM camera_push_window").toArray()[0],
    alarm: await state.storage.getAlarm(),
  }));
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return read();
}

describe("the camera's notification window in the hub", () => {
  it("sends the first of a burst, holds the rest with the alarm set for their summary, and takes the summary on the alarm once the minute is over", async () => {
    const device = await provisionDevice("ES256");
    const socket = await connectDevice(device);
    const before = Date.now();
    for (let i = 1; i <= 4; i++) socket.send({ type: "event", event: { id: `ev-${i}`, kind: "motion", startedAt: new Date().toISOString() } });
    const held = await until(() => windowOf(device.serial), (w) => w.row?.suppressed === 3);
    expect(held.row).toMatchObject({ suppressed: 3, last_id: "ev-4" });
    expect(held.row!.sent_at).toBeGreaterThanOrEqual(before);
    // Armed no later than the summary is due (the heartbeat may want it sooner).
    expect(held.alarm).not.toBeNull();
    expect(held.alarm!).toBeLessThanOrEqual(held.row!.sent_at! + CAMERA_PUSH_INTERVAL_MS);

    // An alarm before the minute is over leaves the held events alone.
    await runInDurableObject(hubStub(device.serial), (hub) => hub.alarm());
    expect((await windowOf(device.serial)).row).toMatchObject({ suppressed: 3, last_id: "ev-4" });

    // The minute is over (moved back in storage) and the tree is still: the alarm sends the summary.
    await runInDurableObject(hubStub(device.serial), (_hub, state) => {
      state.storage.sql.exec("UPDATE camera_push_window SET sent_at = ?", Date.now() - CAMERA_PUSH_INTERVAL_MS - 1);
    });
    await runInDurableObject(hubStub(device.serial), (hub) => hub.alarm());
    const after = await windowOf(device.serial);
    expect(after.row).toMatchObject({ suppressed: 0, last_id: null });
    expect(after.row!.sent_at).toBeGreaterThanOrEqual(before);
  });
});
