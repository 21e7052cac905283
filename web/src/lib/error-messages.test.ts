import { describe, expect, it } from "vitest";
import { ERROR_CODE_LIST } from "../../../protocol/errors.ts";
import { CLIENT_ERROR_CODES, describeError, hasMessage } from "./error-messages.ts";

describe("describeError", () => {
  it.each(ERROR_CODE_LIST)("has a specific message for the edge code %s", (code) => {
    expect(hasMessage(code)).toBe(true);
    const d = describeError(code);
    expect(d.message).not.toMatch(/Something went wrong \(/);
    expect(d.title.length).toBeGreaterThan(0);
  });

  it.each(CLIENT_ERROR_CODES)("has a specific message for the client code %s", (code) => {
    expect(describeError(code).message).not.toMatch(/Something went wrong \(/);
  });

  it("tells the user where the access code is printed", () => {
    expect(describeError("wrong_access_code").message).toBe(
      "That access code doesn't match. It's printed on the label under the camera.",
    );
    expect(describeError("wrong_access_code").action).toBe("edit-code");
  });

  it("says a browser without WebRTC can't play live video, names the reason, and offers no retry", () => {
    const d = describeError("webrtc_unsupported");
    expect(d.message).toMatch(/^This browser can't play live video: it has no WebRTC\. Use /);
    expect(d.action).toBe("none");
  });

  it("counts down the rate limit in whole seconds", () => {
    expect(describeError("rate_limited", { retryAfterSeconds: 41.2 }).message).toBe("Too many wrong codes. Try again in 42 s.");
    expect(describeError("rate_limited").message).toMatch(/Wait a minute/);
    expect(describeError("rate_limited").action).toBe("wait");
  });

  it("explains an offline camera with when it was last seen and what to check", () => {
    const m = describeError("device_offline", { lastSeen: "3 h ago" }).message;
    expect(m).toContain("last seen 3 h ago");
    expect(m).toMatch(/plugged in/);
    expect(m).toMatch(/Wi-Fi/);
  });

  it("asks for an update on a version mismatch", () => {
    expect(describeError("unsupported_version")).toMatchObject({ title: "Update the app", action: "update" });
  });

  it("explains an ICE failure as a network that blocks peer-to-peer", () => {
    expect(describeError("ice_failed").message).toMatch(/blocks direct peer-to-peer/);
  });

  it("names an unknown code in a generic message", () => {
    expect(describeError("teapot")).toEqual({
      title: "Something went wrong",
      action: "retry",
      message: "Something went wrong (teapot). Try again.",
    });
  });

  it("does not treat inherited object keys as codes", () => {
    expect(hasMessage("toString")).toBe(false);
  });

  it("shows how many are watching when the camera is full, and offers to retry", () => {
    const d = describeError("device_busy", { watching: 3, limit: 3 });
    expect(d.message).toMatch(/^The camera already has 3 of 3 viewers\./);
    expect(d.action).toBe("retry");
    expect(describeError("device_busy").message).toMatch(/as many viewers as it allows/);
  });

  it("says a revoked share ended the video and what to do", () => {
    const d = describeError("access_revoked");
    expect(d.message).toMatch(/stopped sharing/);
    expect(d.message).toMatch(/video ended/);
    expect(d.action).toBe("none");
  });

  it("sends signed-out people to sign in", () => {
    expect(describeError("not_signed_in").action).toBe("sign-in");
    expect(describeError("code_viewing_disabled")).toMatchObject({ action: "sign-in", message: expect.stringMatching(/turned off watching with the access code/) });
  });

  it("never says whether an email has an account at sign-in", () => {
    expect(describeError("invalid_credentials").message).toMatch(/don't match an account/);
  });

  it("counts down sign-in rate limits in their own words", () => {
    expect(describeError("rate_limited", { retryAfterSeconds: 30, attempt: "sign-in" }).message).toBe("Too many sign-in attempts. Try again in 30 s.");
    // A sign-up window is an hour: said in minutes, and about sign-ups, not sign-ins.
    expect(describeError("rate_limited", { retryAfterSeconds: 3_540, attempt: "sign-up" }).message).toBe("Too many new accounts from this network. Try again in 59 min.");
  });
});
