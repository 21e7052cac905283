import { describe, expect, it } from "vitest";
import { describePtzError, dragVelocity, formatResolution, keyVelocity } from "./ptz-input.ts";

describe("PTZ input mapping", () => {
  it("maps arrows to pan/tilt and +/- to zoom, and ignores other keys", () => {
    expect(keyVelocity("ArrowRight")).toEqual({ pan: 0.6, tilt: 0, zoom: 0 });
    expect(keyVelocity("ArrowUp")).toEqual({ pan: 0, tilt: 0.6, zoom: 0 });
    expect(keyVelocity("ArrowDown")?.tilt).toBeLessThan(0);
    expect(keyVelocity("+")).toEqual({ pan: 0, tilt: 0, zoom: 1 });
    expect(keyVelocity("-")?.zoom).toBe(-1);
    expect(keyVelocity("a")).toBeNull();
  });

  it("turns a drag into a joystick: towards where to look, faster further out, still inside the dead zone", () => {
    expect(dragVelocity(3, -4, 640, 360)).toEqual({ pan: 0, tilt: 0, zoom: 0 });
    expect(dragVelocity(80, 0, 640, 360).pan).toBeCloseTo(0.5);
    expect(dragVelocity(1000, 0, 640, 360).pan).toBe(1);
    // Dragging up (screen y decreasing) tilts up.
    expect(dragVelocity(0, -90, 640, 360).tilt).toBe(1);
  });

  it("words device errors plainly, keeping the camera's reason", () => {
    expect(describePtzError("device_refused", "Preset limit reached")).toBe("The camera refused: Preset limit reached");
    expect(describePtzError("forbidden", "x")).toMatch(/does not include moving/);
    expect(formatResolution(1280, 720)).toBe("1280 × 720");
    expect(formatResolution(0, 0)).toBe("—");
  });
});
