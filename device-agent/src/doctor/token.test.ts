import { UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { DEVICE_TOKEN_AUDIENCE } from "../../../protocol/index.ts";
import { evaluateToken, readTokenClaims, type EdgeTokenVerdict } from "./token.ts";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const DAY = 86_400;
const token = (claims: Record<string, unknown>) =>
  new UnsecuredJWT({ aud: DEVICE_TOKEN_AUDIENCE, iss: "vendor-1", sub: "CAM-0001", exp: NOW / 1000 + 365 * DAY, ...claims }).encode();
const run = (t: string, ...edge: [EdgeTokenVerdict | undefined] | []) =>
  evaluateToken({ serial: "CAM-0001", claims: readTokenClaims(t), edge: edge.length ? edge[0] : { kind: "accepted" }, nowMs: NOW, timeoutMs: 5000 });
const refused = (status: number, code: string, message: string): EdgeTokenVerdict => ({ kind: "refused", status, code, message });

describe("device token check", () => {
  it("passes a token the edge accepts, with its expiry date", () => {
    const r = run(token({}));
    expect(r).toMatchObject({ status: "pass", code: "ok" });
    expect(r.message).toContain("valid until 2027-12-06");
  });

  it("warns when the token expires within 14 days", () => {
    expect(run(token({ exp: NOW / 1000 + 3 * DAY }))).toMatchObject({ status: "warn", code: "token_expiring" });
  });

  it("fails an expired token before asking the edge", () => {
    expect(run(token({ exp: NOW / 1000 - 60 }), undefined)).toMatchObject({ status: "fail", code: "token_expired" });
  });

  it("names the other serial when the token was issued for another camera", () => {
    const r = run(token({ sub: "CAM-0002" }));
    expect(r).toMatchObject({ status: "fail", code: "token_wrong_serial" });
    expect(r.message).toBe("The device token is for CAM-0002, but this camera runs as CAM-0001.");
  });

  it("maps the edge's refusals: revoked, superseded, unknown vendor key, unknown device", () => {
    expect(run(token({}), refused(403, "device_revoked", "This device has been revoked."))).toMatchObject({ status: "fail", code: "token_revoked" });
    expect(run(token({}), refused(401, "device_token_invalid", "This device token was superseded: the camera was given a newer one."))).toMatchObject({ code: "token_superseded" });
    expect(run(token({}), refused(401, "device_token_invalid", "The token's key id is not one of this vendor's keys."))).toMatchObject({ code: "token_unknown_key" });
    expect(run(token({}), refused(401, "device_token_invalid", "The device token is not valid. (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)"))).toMatchObject({ code: "token_unknown_key" });
    expect(run(token({}), refused(404, "device_not_found", "No camera has the serial CAM-0001."))).toMatchObject({ code: "token_unknown_device" });
  });

  it("says the revocation is final and points to the vendor", () => {
    const r = run(token({}), refused(403, "device_revoked", "x"));
    expect(r.message).toContain("revoked by its vendor");
    expect(r.fix).toMatch(/cannot be undone/);
  });

  it("fails something that is not a JWT, and a JWT for another audience", () => {
    expect(run("not-a-token")).toMatchObject({ status: "fail", code: "token_invalid" });
    expect(run(token({ aud: "porthole-vendor-api" }))).toMatchObject({ status: "fail", code: "token_invalid" });
  });

  it("skips the edge's verdict when the edge could not be reached", () => {
    expect(run(token({}), undefined)).toMatchObject({ status: "skip" });
  });
});
