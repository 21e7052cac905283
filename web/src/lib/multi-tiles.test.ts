import { describe, expect, it } from "vitest";
import { chooseTileCameras, MAX_TILES, parseSavedTiles, toggleTileCamera } from "./multi-tiles.ts";

const cam = (serial: string, online = true) => ({ serial, online });

describe("choosing the multi-view's cameras", () => {
  it("plays the first four cameras, online ones first, when nothing was chosen", () => {
    const list = [cam("A", false), cam("B"), cam("C"), cam("D", false), cam("E"), cam("F")];
    expect(chooseTileCameras(list, null)).toEqual(["B", "C", "E", "F"]);
  });

  it("plays every camera when there are fewer than four", () => {
    expect(chooseTileCameras([cam("A"), cam("B", false)], null)).toEqual(["A", "B"]);
  });

  it("keeps the person's choice in their order, offline cameras included", () => {
    const list = [cam("A"), cam("B"), cam("C", false), cam("D"), cam("E")];
    expect(chooseTileCameras(list, ["E", "C"])).toEqual(["E", "C"]);
  });

  it("drops chosen cameras that are no longer in the list, and duplicates", () => {
    expect(chooseTileCameras([cam("A"), cam("B")], ["GONE", "B", "B"])).toEqual(["B"]);
  });

  it("falls back to the first four when none of the chosen cameras is left", () => {
    expect(chooseTileCameras([cam("A"), cam("B")], ["GONE"])).toEqual(["A", "B"]);
  });

  it("never plays more than four, even from a stored list of more", () => {
    const list = ["A", "B", "C", "D", "E"].map((s) => cam(s));
    expect(chooseTileCameras(list, ["A", "B", "C", "D", "E"])).toHaveLength(MAX_TILES);
  });

  it("adds a camera to the choice and removes it again", () => {
    expect(toggleTileCamera(["A"], "B")).toEqual(["A", "B"]);
    expect(toggleTileCamera(["A", "B"], "A")).toEqual(["B"]);
  });

  it("refuses a fifth camera", () => {
    expect(toggleTileCamera(["A", "B", "C", "D"], "E")).toEqual(["A", "B", "C", "D"]);
  });

  it("reads a stored list of serials and ignores anything else", () => {
    expect(parseSavedTiles('["A","B"]')).toEqual(["A", "B"]);
    expect(parseSavedTiles(null)).toBeNull();
    expect(parseSavedTiles("not json")).toBeNull();
    expect(parseSavedTiles('{"a":1}')).toBeNull();
    expect(parseSavedTiles("[1,2]")).toBeNull();
  });
});
