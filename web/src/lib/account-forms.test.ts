import { describe, expect, it } from "vitest";
import { validateCameraName, validateClaim, validateCredentials, validateMaxViewers, validateShare } from "./account-forms.ts";

describe("validateCredentials", () => {
  it("lower-cases and trims the email", () => {
    expect(validateCredentials("  Ann@Example.COM ", "correct horse", "signup")).toEqual({ ok: true, value: { email: "ann@example.com", password: "correct horse" } });
  });

  it("names the email field when it is empty or not an address", () => {
    expect(validateCredentials("", "x", "signin")).toMatchObject({ ok: false, field: "email", message: "Enter your email address." });
    expect(validateCredentials("ann", "x", "signin")).toMatchObject({ ok: false, field: "email", message: expect.stringMatching(/name@example\.com/) });
  });

  it("asks sign-up for at least 8 characters, but lets sign-in try any password", () => {
    expect(validateCredentials("a@b.co", "short", "signup")).toMatchObject({ ok: false, field: "password", message: expect.stringMatching(/at least 8/) });
    expect(validateCredentials("a@b.co", "short", "signin")).toMatchObject({ ok: true });
    expect(validateCredentials("a@b.co", "", "signin")).toMatchObject({ ok: false, field: "password" });
  });
});

describe("validateClaim", () => {
  it("normalizes the serial and code and keeps an optional name", () => {
    expect(validateClaim(" demo-0001 ", " ABCD-2345 ", " Hall ")).toEqual({ ok: true, value: { serial: "DEMO-0001", accessCode: "ABCD-2345", name: "Hall" } });
    expect(validateClaim("DEMO-0001", "ABCDEF2345")).toEqual({ ok: true, value: { serial: "DEMO-0001", accessCode: "ABCDEF2345" } });
  });

  it("says which field is wrong", () => {
    expect(validateClaim("!", "ABCDEF2345")).toMatchObject({ ok: false, field: "serial" });
    expect(validateClaim("DEMO-0001", "abc")).toMatchObject({ ok: false, field: "code" });
    expect(validateClaim("DEMO-0001", "ABCDEF2345", "x".repeat(129))).toMatchObject({ ok: false, field: "name" });
  });
});

describe("validateShare", () => {
  it("accepts viewer and guest with an email", () => {
    expect(validateShare("Bob@Example.com", "guest")).toEqual({ ok: true, value: { email: "bob@example.com", role: "guest" } });
    expect(validateShare("bob@example.com", "viewer")).toMatchObject({ ok: true });
  });

  it("refuses owner as a share role and a missing email", () => {
    expect(validateShare("bob@example.com", "owner")).toMatchObject({ ok: false, field: "role" });
    expect(validateShare("bob", "viewer")).toMatchObject({ ok: false, field: "email" });
  });
});

describe("validateMaxViewers", () => {
  it("accepts whole numbers from 1 to 10", () => {
    expect(validateMaxViewers("1")).toEqual({ ok: true, value: 1 });
    expect(validateMaxViewers(10)).toEqual({ ok: true, value: 10 });
  });

  it.each(["0", "11", "2.5", "", "three"])("refuses %j", (v) => {
    expect(validateMaxViewers(v)).toMatchObject({ ok: false, field: "maxViewers", message: "Choose a whole number from 1 to 10." });
  });
});

describe("validateCameraName", () => {
  it("trims, and refuses empty or very long names", () => {
    expect(validateCameraName("  Porch ")).toEqual({ ok: true, value: "Porch" });
    expect(validateCameraName("   ")).toMatchObject({ ok: false });
    expect(validateCameraName("x".repeat(129))).toMatchObject({ ok: false });
  });
});
