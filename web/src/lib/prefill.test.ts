import { describe, expect, it } from "vitest";
import { isValidAccessCode, isValidSerial, normalizeSerial, parsePrefill } from "./prefill.ts";

describe("parsePrefill", () => {
  it("reads the serial from the query and the code from the fragment", () => {
    expect(parsePrefill("?serial=PH-0001", "#code=k3y-c0de")).toEqual({ serial: "PH-0001", accessCode: "k3y-c0de" });
  });

  it("upper-cases the serial", () => {
    expect(parsePrefill("?serial=ph-abc1", "").serial).toBe("PH-ABC1");
  });

  it("decodes percent-encoded values", () => {
    expect(parsePrefill("?serial=ph%2D0001", "#code=a%20b%2Bc123").accessCode).toBe("a b+c123");
  });

  it("accepts the serial in the fragment too", () => {
    expect(parsePrefill("", "#serial=cam-7&code=123456")).toEqual({ serial: "CAM-7", accessCode: "123456" });
  });

  it("ignores a code in the query, which would reach server logs", () => {
    expect(parsePrefill("?serial=PH-1&code=secret1", "").accessCode).toBeNull();
  });

  it("returns nulls when nothing is given", () => {
    expect(parsePrefill("", "")).toEqual({ serial: null, accessCode: null });
    expect(parsePrefill("?serial=", "#code=")).toEqual({ serial: null, accessCode: null });
  });
});

describe("normalizeSerial", () => {
  it("removes spaces and upper-cases", () => {
    expect(normalizeSerial(" ph-12 34 ")).toBe("PH-1234");
  });
});

describe("validation", () => {
  it("accepts label-style serials and refuses others", () => {
    expect(isValidSerial("PH-1234-ABCD")).toBe(true);
    expect(isValidSerial("ph-1234")).toBe(false);
    expect(isValidSerial("-PH1")).toBe(false);
  });

  it("wants an access code of at least 6 characters", () => {
    expect(isValidAccessCode("12345")).toBe(false);
    expect(isValidAccessCode("123456")).toBe(true);
  });
});
