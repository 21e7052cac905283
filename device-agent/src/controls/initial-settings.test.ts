import { describe, expect, it } from "vitest";
import { initialSettings } from "./build-controls.ts";

describe("a camera's first settings", () => {
  it("keep night mode on auto unless the config says otherwise", () => {
    expect(initialSettings({ name: "Porch" }).image.night).toBe("auto");
  });

  it("start the demo camera in day mode, with auto still a setting the owner can pick", () => {
    const s = initialSettings({ name: "Demo camera", defaultNight: "off" });
    expect(s.image).toEqual({ flip: false, mirror: false, night: "off" });
    expect(s.name).toBe("Demo camera");
  });
});
