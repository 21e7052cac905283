import { describe, expect, it } from "vitest";
import { cropExpressions, cropRect, cropWindow, MAX_VIRTUAL_ZOOM, WIDE_VIEW } from "./crop-window.ts";

describe("virtual PTZ crop window", () => {
  it("shows a centred wide view at home, with room to pan around it", () => {
    const w = cropWindow({ pan: 0, tilt: 0, zoom: 0 });
    expect(w).toEqual({ scale: WIDE_VIEW, fx: 0.5, fy: 0.5 });
    expect(cropRect(w, 1280, 720, 16 / 9)).toEqual({ w: 960, h: 540, x: 160, y: 90 });
  });

  it("pans right and tilts up by moving the window right and to the top", () => {
    const r = cropRect(cropWindow({ pan: 1, tilt: 1, zoom: 0 }), 1280, 720, 16 / 9);
    expect(r.x + r.w).toBe(1280);
    expect(r.y).toBe(0);
    const l = cropRect(cropWindow({ pan: -1, tilt: -1, zoom: 0 }), 1280, 720, 16 / 9);
    expect(l.x).toBe(0);
    expect(l.y + l.h).toBe(720);
  });

  it("zooms by shrinking the window down to 1/MAX of the wide view, keeping the output aspect", () => {
    const r = cropRect(cropWindow({ pan: 0, tilt: 0, zoom: 1 }), 1280, 720, 16 / 9);
    expect(r.w).toBe(240);
    expect(r.h).toBe(134);
    expect(cropWindow({ pan: 0, tilt: 0, zoom: 1 }).scale).toBeCloseTo(WIDE_VIEW / MAX_VIRTUAL_ZOOM);
  });

  it("fits a 16:9 window into a 4:3 picture by height, never beyond the picture", () => {
    const r = cropRect(cropWindow({ pan: 1, tilt: 0, zoom: 0 }), 640, 480, 16 / 9);
    expect(r.w).toBeLessThanOrEqual(640);
    expect(r.x + r.w).toBeLessThanOrEqual(640);
    expect(r.w / r.h).toBeCloseTo(16 / 9, 1);
  });

  it("writes the same window as ffmpeg expressions over the input size", () => {
    const e = cropExpressions(cropWindow({ pan: 0.5, tilt: -0.5, zoom: 0.25 }), 16 / 9);
    expect(e.w).toContain("min(iw,ih*1.777778)");
    expect(e.x).toBe("floor((iw-ow)*0.75/2)*2");
    expect(e.y).toBe("floor((ih-oh)*0.75/2)*2");
    // Evaluate the expressions the way ffmpeg would, for a 1280×720 input.
    const env = (expr: string, vars: Record<string, number>): number =>
      Function(...Object.keys(vars), "min", "floor", `return ${expr};`)(...Object.values(vars), Math.min, Math.floor) as number;
    const w = env(e.w, { iw: 1280, ih: 720 });
    const h = env(e.h, { iw: 1280, ih: 720 });
    const rect = cropRect(cropWindow({ pan: 0.5, tilt: -0.5, zoom: 0.25 }), 1280, 720, 16 / 9);
    expect({ w, h, x: env(e.x, { iw: 1280, ow: w }), y: env(e.y, { ih: 720, oh: h }) }).toEqual(rect);
  });
});
