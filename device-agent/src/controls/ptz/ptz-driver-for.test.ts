import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PtzPosition } from "../../../../protocol/index.ts";
import { silentLogger } from "../../log.ts";
import type { MediaSource } from "../../media/source.ts";
import type { PtzDriver } from "./ptz-driver.ts";
import { deferredDriver, PTZ_NEEDS_FFMPEG, ptzDriverFor } from "./ptz-driver-for.ts";

const source = (withView: boolean, shown: PtzPosition[] = []): MediaSource => ({
  description: "t",
  videoCodecs: ["H264"],
  audio: false,
  start: async () => {},
  stop: async () => {},
  onPacket: () => () => {},
  onFatal: () => () => {},
  ...(withView ? { setView: (p: PtzPosition) => void shown.push(p) } : {}),
});
const dataDir = () => mkdtempSync(path.join(tmpdir(), "porthole-ptzfor-"));

describe("choosing the PTZ driver", () => {
  it("drives the pipeline's crop window with the virtual driver", async () => {
    const shown: PtzPosition[] = [];
    const { driver } = ptzDriverFor({ kind: "virtual" }, { source: source(true, shown), dataDir: dataDir(), logger: silentLogger });
    expect(driver?.kind).toBe("virtual");
    await driver!.move({ pan: 1, tilt: 0, zoom: 0 });
    await new Promise((r) => setTimeout(r, 120));
    await driver!.stop();
    expect(shown.at(-1)!.pan).toBeGreaterThan(0);
  });

  it("has no PTZ, and says why, when the source does not go through ffmpeg", () => {
    expect(ptzDriverFor({ kind: "virtual" }, { source: source(false), dataDir: dataDir(), logger: silentLogger })).toEqual({ driver: null, note: PTZ_NEEDS_FFMPEG });
    expect(ptzDriverFor({ kind: "none" }, { source: source(false), dataDir: dataDir(), logger: silentLogger })).toEqual({ driver: null, note: PTZ_NEEDS_FFMPEG });
    expect(ptzDriverFor({ kind: "none" }, { source: source(true), dataDir: dataDir(), logger: silentLogger })).toEqual({ driver: null });
  });

  it("answers every command of an unreachable camera with device_refused and its reason", async () => {
    const d = deferredDriver("onvif", () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.9:80")));
    await expect(d.move({ pan: 1, tilt: 0, zoom: 0 })).rejects.toMatchObject({ code: "device_refused", message: expect.stringContaining("ECONNREFUSED") });
    await expect(d.presets()).rejects.toMatchObject({ code: "device_refused" });
    await d.close();
  });

  it("tries an unreachable camera again on the next command once the retry interval has passed, not before", async () => {
    let t = 0;
    let attempts = 0;
    const up = { kind: "onvif", status: async () => ({ pan: 0.5, tilt: 0, zoom: 0, moving: false }) } as unknown as PtzDriver;
    const d = deferredDriver("onvif", async () => (++attempts < 2 ? Promise.reject(new Error("connect EHOSTUNREACH")) : up), { retryMs: 10_000, now: () => t });
    await expect(d.status()).rejects.toMatchObject({ code: "device_refused" });
    t = 9_999;
    await expect(d.status()).rejects.toMatchObject({ code: "device_refused" });
    expect(attempts).toBe(1);
    t = 10_000;
    await expect(d.status()).resolves.toMatchObject({ pan: 0.5 });
    expect(attempts).toBe(2);
  });
});
