// Why: vendors call the API with short-lived JWTs signed by their own key, so no long-lived
// API secret exists to leak; the edge refuses tokens that live longer than ten minutes.
import { decodeJwt } from "jose";
import { VENDOR_API_AUDIENCE } from "../../../protocol/index.ts";
import type { Db } from "../db/client.ts";
import { findVendorById } from "../db/vendors.ts";
import type { VendorRow } from "../db/schema.ts";
import { PortholeError } from "../errors.ts";
import { fromJoseError } from "./jose-errors.ts";
import { verifyVendorSigned } from "./vendor-key.ts";

export const VENDOR_TOKEN_MAX_LIFETIME_SECONDS = 10 * 60;
const CLOCK_TOLERANCE_SECONDS = 30;

export async function verifyVendorToken(d: Db, token: string, nowSeconds: number = Math.floor(Date.now() / 1000)): Promise<VendorRow> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch (err) {
    throw fromJoseError(err, { expired: "unauthorized", invalid: "unauthorized" });
  }
  if (typeof iss !== "string" || iss.length > 128) throw PortholeError.unauthorized("the vendor token has no issuer");
  const vendor = await findVendorById(d, iss);
  if (!vendor) throw new PortholeError("vendor_not_found", "The vendor token's issuer is not a registered vendor.");
  try {
    const payload = await verifyVendorSigned(
      d,
      token,
      vendor,
      {
        issuer: vendor.id,
        audience: VENDOR_API_AUDIENCE,
        requiredClaims: ["exp"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(nowSeconds * 1000),
      },
      "unauthorized",
    );
    if ((payload.exp as number) > nowSeconds + VENDOR_TOKEN_MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
      throw PortholeError.unauthorized("vendor API tokens must expire within 10 minutes");
    }
  } catch (err) {
    const mapped = fromJoseError(err, { expired: "unauthorized", invalid: "unauthorized" });
    if (mapped.code === "unauthorized" && !(err instanceof PortholeError)) {
      throw PortholeError.unauthorized(`the vendor token is not valid (${(err as { code?: string }).code ?? "invalid"})`);
    }
    throw mapped;
  }
  return vendor;
}
