// Why: jose throws its own error classes (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED,
// ERR_JOSE_ALG_NOT_ALLOWED, …). They are turned into our stable codes here, once.
import { errors } from "jose";
import { ERROR_CODES, type ErrorCode } from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";

/** Maps any jose verification failure to `expired` or `invalid`; rethrows non-jose errors. */
export function fromJoseError(err: unknown, codes: { expired: ErrorCode; invalid: ErrorCode }): PortholeError {
  if (err instanceof PortholeError) return err;
  if (err instanceof errors.JWTExpired) return new PortholeError(codes.expired, undefined, { cause: err });
  // jose's code (not its message) is safe to echo and tells an integrator what to fix.
  if (err instanceof errors.JOSEError) {
    return new PortholeError(codes.invalid, `${ERROR_CODES[codes.invalid].message} (${err.code})`, { cause: err });
  }
  // A malformed token can also surface as a TypeError from decoding.
  if (err instanceof TypeError) return new PortholeError(codes.invalid, undefined, { cause: err });
  throw err;
}
