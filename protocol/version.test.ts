import { describe, expect, it } from "vitest";
import { isSupportedVersion, PROTOCOL_VERSION } from "./version.ts";

describe("protocol version", () => {
  it("supports its own version and refuses others", () => {
    expect(isSupportedVersion(PROTOCOL_VERSION)).toBe(true);
    expect(isSupportedVersion(PROTOCOL_VERSION + 1)).toBe(false);
    expect(isSupportedVersion(0)).toBe(false);
  });
});
