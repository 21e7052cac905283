import { describe, expect, it } from "vitest";
import { cameraPictureKey, eventPictureKey, picturesToPrune, replacesCardPicture } from "./picture-cache-policy.ts";

describe("picture cache policy", () => {
  it("keys a camera's card picture and an event's thumbnail apart", () => {
    expect(cameraPictureKey("DEMO-0001")).toBe("camera:DEMO-0001");
    expect(eventPictureKey("DEMO-0001", "ev1")).toBe("event:DEMO-0001:ev1");
  });

  it("lets only a newer picture replace a camera's card picture", () => {
    expect(replacesCardPicture(null, 5)).toBe(true);
    expect(replacesCardPicture({ key: "camera:A", takenAt: 10 }, 11)).toBe(true);
    expect(replacesCardPicture({ key: "camera:A", takenAt: 10 }, 10)).toBe(false);
    expect(replacesCardPicture({ key: "camera:A", takenAt: 10 }, 3)).toBe(false);
  });

  it("prunes the oldest pictures beyond the limit and nothing under it", () => {
    const all = [30, 10, 20, 40].map((t) => ({ key: `k${t}`, takenAt: t }));
    expect(picturesToPrune(all, 4)).toEqual([]);
    expect(picturesToPrune(all, 2)).toEqual(["k10", "k20"]);
  });
});
