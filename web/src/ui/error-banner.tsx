// Why: one place that shows an error's human message and the one action that helps.
import type { ErrorDescription } from "../lib/error-messages.ts";
import { AlertIcon } from "./icons.tsx";
import { linkTo } from "./use-route.ts";

export interface ErrorBannerProps {
  code: string;
  description: ErrorDescription;
  /** Seconds before Retry is allowed (rate limit). */
  waitSeconds: number;
  onRetry(): void;
  onEdit(field: "serial" | "code"): void;
  onUpdate(): void;
  /** not_signed_in, code_viewing_disabled: go to the sign-in form. */
  onSignIn?(): void;
  /** The camera the error is about, for the connection test's path prediction. */
  serial?: string;
}

export function ErrorBanner({ code, description, waitSeconds, onRetry, onEdit, onUpdate, onSignIn, serial }: ErrorBannerProps) {
  const { action } = description;
  return (
    <div class="error" role="alert" data-testid="error" data-error-code={code}>
      <AlertIcon class="error__icon" />
      <div class="error__body">
        <strong class="error__title">{description.title}</strong>
        <p class="error__message" data-testid="error-message">{description.message}</p>
        <div class="error__actions">
          {(action === "retry" || action === "wait") && (
            <button type="button" class="btn btn--small" data-testid="retry-button" disabled={waitSeconds > 0} onClick={onRetry}>
              {waitSeconds > 0 ? `Retry in ${waitSeconds} s` : "Retry"}
            </button>
          )}
          {action === "edit-code" && (
            <button type="button" class="btn btn--small btn--ghost" onClick={() => onEdit("code")}>Re-enter code</button>
          )}
          {action === "edit-serial" && (
            <button type="button" class="btn btn--small btn--ghost" onClick={() => onEdit("serial")}>Check serial</button>
          )}
          {action === "sign-in" && onSignIn && (
            <button type="button" class="btn btn--small" data-testid="signin-link" onClick={onSignIn}>Sign in</button>
          )}
          {action === "update" && (
            <button type="button" class="btn btn--small" data-testid="update-button" onClick={onUpdate}>Update app</button>
          )}
          <a class="btn btn--small btn--ghost" data-testid="connection-test-link" {...linkTo({ name: "connection-test", ...(serial ? { camera: serial } : {}) })}>Test my connection</a>
        </div>
      </div>
    </div>
  );
}
