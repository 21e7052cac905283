// Why: the edge answers a wrong admin token with `unauthorized` and a deployment without
// ADMIN_TOKEN with `forbidden` (worker/src/routes/ops.ts); the shared texts for those codes speak
// of camera sessions, so the operator sign-in says what they mean there. Every other code
// (rate_limited, network_error, …) keeps its shared text (error-messages.ts).
import type { UiError } from "./session-state.ts";

/** The error to show under the operator sign-in form: a sentence of its own, or the code. */
export function opsSignInError(e: UiError): UiError | string {
  if (e.code === "unauthorized") return "That admin token isn't right. Check it and try again.";
  if (e.code === "forbidden") return "Operator sign-in is turned off on this deployment: its ADMIN_TOKEN secret is not set.";
  return e;
}
