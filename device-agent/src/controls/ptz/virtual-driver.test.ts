import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PtzPosition } from "../../../../protocol/index.ts";
import { ControlFailure } from "../control-failure.ts";
import { openPresetStore, PRESETS_FILE } from "./preset-store.ts";
import { integrate } from "./ptz-motion.ts";
import { createVirtualDriver } from "./virtual-driver.ts";

const tmp = (): string => mkdtempSync(path.join(tmpdir(), "porthole-ptz-"));

describe("virtual PTZ motion", () => {
  it("integrates velocity over elapsed time and clamps to the range", () => {
    expect(integrate({ pan: 0, tilt: 0, zoom: 0 }, { pan: 1, tilt: -0.5, zoom: 1 }, 500)).toEqual({ pan: 0.5, tilt: -0.25, zoom: 0.25 });
    expect(integrate({ pan: 0.9, tilt: -0.9, zoom: 0.1 }, { pan: 1, tilt: -1, zoom: -1 }, 1000)).toEqual({ pan: 1, tilt: -1, zoom: 0 });
  });
});

describe("virtual PTZ driver", () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());
  const make = (dir = tmp()) => {
    const shown: PtzPosition[] = [];
    const d = createVirtualDriver({ presets: openPresetStore(dir), apply: (p) => shown.push(p), now: () => clock });
    return { d, shown, dir };
  };
  const advance = (ms: number) => {
    for (let t = 0; t < ms; t += 50) {
      clock += 50;
      vi.advanceTimersByTime(50);
    }
  };

  it("moves the view at ~20 updates a second while a move runs, and stops on stop", async () => {
    const { d, shown } = make();
    await d.move({ pan: 1, tilt: 0, zoom: 0 });
    advance(500);
    expect((await d.status()).moving).toBe(true);
    expect(d.position.pan).toBeCloseTo(0.5);
    expect(shown.length).toBeGreaterThanOrEqual(9);
    await d.stop();
    advance(500);
    expect(d.position.pan).toBeCloseTo(0.5);
    expect((await d.status()).moving).toBe(false);
  });

  it("saves presets to the data dir atomically and finds them again after a restart", async () => {
    const { d, dir } = make();
    await d.move({ pan: -1, tilt: 1, zoom: 1 });
    advance(400);
    await d.stop();
    const saved = await d.savePreset("Door");
    expect(saved).toEqual({ token: "p1", name: "Door" });
    expect(readdirSync(dir)).toEqual([PRESETS_FILE]); // no temp file left behind
    const stored = JSON.parse(readFileSync(path.join(dir, PRESETS_FILE), "utf8"));
    expect(stored.presets[0].position.pan).toBeCloseTo(-0.4);

    const again = make(dir);
    expect(await again.d.presets()).toEqual([{ token: "p1", name: "Door" }]);
    await again.d.gotoPreset("p1");
    expect(again.d.position.pan).toBeCloseTo(-0.4);
    expect(again.d.position.zoom).toBeCloseTo(0.2);
    // New tokens continue after the stored ones.
    expect((await again.d.savePreset("Gate")).token).toBe("p2");
  });

  it("overwrites a preset by token, removes it, and answers not_found for unknown tokens", async () => {
    const { d } = make();
    await d.savePreset("A");
    await d.move({ pan: 1, tilt: 0, zoom: 0 });
    advance(200);
    await d.stop();
    await d.savePreset("A2", "p1");
    expect(await d.presets()).toEqual([{ token: "p1", name: "A2" }]);
    await d.home();
    expect(d.position).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    await d.removePreset("p1");
    expect(await d.presets()).toEqual([]);
    await expect(d.gotoPreset("p1")).rejects.toMatchObject({ code: "not_found" });
    await expect(d.savePreset("x", "nope")).rejects.toBeInstanceOf(ControlFailure);
  });

  it("sets a corrupt presets file aside and starts with none", () => {
    const dir = tmp();
    writeFileSync(path.join(dir, PRESETS_FILE), "{not json");
    const reasons: string[] = [];
    const store = openPresetStore(dir, (r) => reasons.push(r));
    expect(store.list()).toEqual([]);
    expect(reasons).toHaveLength(1);
    expect(readdirSync(dir).some((f) => f.startsWith(`${PRESETS_FILE}.corrupt-`))).toBe(true);
  });
});
