import { describe, expect, it } from "vitest";
import { closeReason, codeFromCloseReason, ERROR_CODES, ERROR_CODE_LIST, isErrorCode } from "./errors.ts";
import { utf8Length } from "./utf8.ts";

describe("error codes", () => {
  it("gives every code an HTTP status, a close code in a valid range and a message", () => {
    for (const code of ERROR_CODE_LIST) {
      const meta = ERROR_CODES[code];
      expect(meta.http).toBeGreaterThanOrEqual(400);
      // RFC 6455 §7.4.2: 1000–2999 are protocol codes, 4000–4999 are for applications.
      expect(meta.close === 1008 || meta.close === 1009 || meta.close === 1011 || (meta.close >= 4000 && meta.close <= 4999)).toBe(true);
      expect(meta.message.length).toBeGreaterThan(5);
    }
  });

  it("round-trips a code through a close reason", () => {
    expect(codeFromCloseReason(closeReason("device_offline", "camera disconnected"))).toBe("device_offline");
    expect(codeFromCloseReason("something else")).toBeUndefined();
  });

  it("keeps close reasons within the 123 bytes RFC 6455 allows", () => {
    const reason = closeReason("malformed_message", "é".repeat(200));
    expect(utf8Length(reason)).toBeLessThanOrEqual(123);
    expect(reason.startsWith("malformed_message: ")).toBe(true);
  });

  it("does not treat inherited object keys as error codes", () => {
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("rate_limited")).toBe(true);
  });
});
