// Why: a failed form call (sign in, claim, share, settings) shown inline, in the same words as
// the session errors (error-messages.ts), next to the form that caused it.
import { describeError, type ErrorContext } from "../lib/error-messages.ts";
import type { UiError } from "../lib/session-state.ts";

export function FormError({ error, context = {}, testId = "form-error" }: { error: UiError | string | null; context?: ErrorContext; testId?: string }) {
  if (!error) return null;
  if (typeof error === "string") {
    return <p class="form__error" role="alert" data-testid={testId}>{error}</p>;
  }
  const d = describeError(error.code, {
    ...context,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  });
  return (
    <p class="form__error" role="alert" data-testid={testId} data-error-code={error.code}>
      <strong>{d.title}.</strong> {d.message}
    </p>
  );
}
