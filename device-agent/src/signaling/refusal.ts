// Why: decides whether an edge refusal or close is worth retrying. Credential and identity
// problems never fix themselves, so hammering the edge with them only burns its rate limits.
import { codeFromCloseReason, isErrorCode, type ErrorCode } from "../../../protocol/index.ts";

export const PERMANENT_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "device_token_invalid",
  "device_token_expired",
  "device_serial_mismatch",
  "device_revoked",
  "device_not_found",
]);

/** The close code the edge uses when another agent took this serial (protocol/errors.ts). */
export const CLOSE_DEVICE_REPLACED = 4000;

export type CloseVerdict =
  | { kind: "retry"; error: string }
  | { kind: "replaced" }
  | { kind: "refused"; code: ErrorCode };

export function classifyClose(code: number, reason: string): CloseVerdict {
  const errorCode = codeFromCloseReason(reason);
  if (code === CLOSE_DEVICE_REPLACED || errorCode === "device_replaced") return { kind: "replaced" };
  if (errorCode && PERMANENT_REFUSALS.has(errorCode)) return { kind: "refused", code: errorCode };
  return { kind: "retry", error: errorCode ?? `close_${code}` };
}

/** Reads `{error:{code,message}}` from a refused upgrade; unknown bodies are retried. */
export function classifyRefusal(status: number, body: string): { permanent: boolean; code: string; message: string } {
  let code: string = `http_${status}`;
  let message = body.slice(0, 200);
  try {
    const j = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof j.error?.code === "string") code = j.error.code;
    if (typeof j.error?.message === "string") message = j.error.message;
  } catch {
    /* not JSON: keep the status */
  }
  const permanent = isErrorCode(code) && PERMANENT_REFUSALS.has(code);
  return { permanent, code, message };
}
