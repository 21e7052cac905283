import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PtzPosition, PtzPreset } from "../../../../protocol/index.ts";
import { silentLogger } from "../../log.ts";
import { fixedStream } from "../../webrtc/session-controls.ts";
import { createCameraControls } from "../camera-controls.ts";
import type { ControlSession } from "../control-session.ts";
import type { PtzDriver, PtzVelocity } from "./ptz-driver.ts";
import { ptzFeature } from "./ptz-feature.ts";

/** A driver that records calls (the feature's logic, not the motion, is under test). */
function fakeDriver() {
  const calls: string[] = [];
  let velocity: PtzVelocity = { pan: 0, tilt: 0, zoom: 0 };
  const position: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  const driver: PtzDriver = {
    kind: "virtual",
    async move(v) {
      calls.push(`move ${v.pan}`);
      velocity = v;
    },
    async stop() {
      calls.push("stop");
      velocity = { pan: 0, tilt: 0, zoom: 0 };
    },
    async status() {
      return { position, moving: velocity.pan !== 0 || velocity.tilt !== 0 || velocity.zoom !== 0 };
    },
    async presets(): Promise<PtzPreset[]> {
      return [];
    },
    async savePreset(name) {
      return { token: "p1", name };
    },
    async gotoPreset() {},
    async removePreset() {},
    async home() {},
    async close() {
      calls.push("close");
    },
  };
  return { driver, calls };
}

const session = (id: string, events: unknown[] = []): ControlSession => ({
  sessionId: id,
  role: "viewer",
  label: id,
  emit: (event, data) => events.push({ event, data }),
  async sendBulk() {},
  stream: fixedStream(),
});

describe("PTZ feature", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("stops a move by itself after timeoutMs unless it is renewed", async () => {
    const { driver, calls } = fakeDriver();
    const controls = createCameraControls([ptzFeature(driver)], silentLogger);
    const s = session("a");
    controls.attach(s);
    await controls.handlers["ptz.move"]!({ pan: 1, tilt: 0, zoom: 0, timeoutMs: 1000 }, s);
    await vi.advanceTimersByTimeAsync(700);
    await controls.handlers["ptz.move"]!({ pan: 1, tilt: 0, zoom: 0, timeoutMs: 1000 }, s);
    await vi.advanceTimersByTimeAsync(700);
    expect(calls).not.toContain("stop");
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.at(-1)).toBe("stop");
  });

  it("uses a one-second lease when the viewer gives none", async () => {
    const { driver, calls } = fakeDriver();
    const controls = createCameraControls([ptzFeature(driver)], silentLogger);
    const s = session("a");
    await controls.handlers["ptz.move"]!({ pan: -1, tilt: 0, zoom: 0 }, s);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).not.toContain("stop");
    await vi.advanceTimersByTimeAsync(2);
    expect(calls).toContain("stop");
  });

  it("stops the move when the viewer who started it leaves", async () => {
    const { driver, calls } = fakeDriver();
    const controls = createCameraControls([ptzFeature(driver)], silentLogger);
    const s = session("a");
    const detach = controls.attach(s);
    await controls.handlers["ptz.move"]!({ pan: 1, tilt: 0, zoom: 0, timeoutMs: 5000 }, s);
    detach();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.at(-1)).toBe("stop");
  });

  it("pushes ptz.status to every viewer when the head starts and stops moving", async () => {
    const { driver } = fakeDriver();
    const controls = createCameraControls([ptzFeature(driver)], silentLogger);
    const events: { event: string; data: { moving: boolean } }[] = [];
    controls.attach(session("a", events));
    controls.attach(session("b", events));
    await controls.handlers["ptz.move"]!({ pan: 1, tilt: 0, zoom: 0, timeoutMs: 300 }, session("a"));
    await vi.advanceTimersByTimeAsync(1000);
    const moving = events.filter((e) => e.event === "ptz.status").map((e) => e.data.moving);
    expect(moving).toEqual([true, true, false, false]);
  });

  it("advertises the driver, or no PTZ with the reason", () => {
    expect(createCameraControls([ptzFeature(fakeDriver().driver)], silentLogger).features.ptz).toBe("virtual");
    const none = createCameraControls([ptzFeature(null, { note: "needs ffmpeg" })], silentLogger);
    expect(none.features.ptz).toBeNull();
    expect(none.features.notes).toEqual(["needs ffmpeg"]);
    expect(none.handlers["ptz.move"]).toBeUndefined();
  });
});
