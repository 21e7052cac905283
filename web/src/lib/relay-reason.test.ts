import { describe, expect, it } from "vitest";
import { relayForced } from "./relay-reason.ts";

describe("relayForced", () => {
  it("reads ?relay=1 and nothing else", () => {
    expect(relayForced("?relay=1")).toBe(true);
    expect(relayForced("?serial=CAM-1&relay=true")).toBe(true);
    expect(relayForced("?relay=0")).toBe(false);
    expect(relayForced("")).toBe(false);
  });
});
