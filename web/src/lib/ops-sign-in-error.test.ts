import { describe, expect, it } from "vitest";
import { opsSignInError } from "./ops-sign-in-error.ts";

describe("opsSignInError", () => {
  it("says a wrong admin token is wrong, not that a camera session was refused", () => {
    expect(opsSignInError({ code: "unauthorized" })).toBe("That admin token isn't right. Check it and try again.");
  });

  it("says operator sign-in is off when the deployment has no admin token", () => {
    expect(opsSignInError({ code: "forbidden" })).toMatch(/ADMIN_TOKEN/);
  });

  it("leaves every other code to the shared texts", () => {
    expect(opsSignInError({ code: "rate_limited", retryAfterSeconds: 60 })).toEqual({ code: "rate_limited", retryAfterSeconds: 60 });
  });
});
