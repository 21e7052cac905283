// Why: the worker's one error type. Every refusal carries a stable code from protocol/errors.ts,
// so the HTTP body, the WebSocket close reason and the PWA's message name the same condition.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERROR_CODES, type ErrorBody, type ErrorCode } from "../../protocol/index.ts";
import { log } from "./log.ts";

/** An expected refusal with a stable code; `app.onError` turns it into `{ error: { code, message } }`. */
export class PortholeError extends HTTPException {
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message?: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(ERROR_CODES[code].http as ContentfulStatusCode, {
      message: message ?? ERROR_CODES[code].message,
      cause: options.cause,
    });
    this.name = "PortholeError";
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static badRequest(detail: string): PortholeError {
    return new PortholeError("bad_request", `The request is malformed: ${detail}`);
  }
  static unauthorized(detail?: string): PortholeError {
    return new PortholeError("unauthorized", detail ? `Authentication required: ${detail}` : undefined);
  }
  static deviceNotFound(serial: string): PortholeError {
    return new PortholeError("device_not_found", `No camera has the serial ${serial}.`);
  }
  static rateLimited(retryAfterSeconds: number): PortholeError {
    return new PortholeError("rate_limited", undefined, { retryAfterSeconds });
  }
  static conflict(detail: string): PortholeError {
    return new PortholeError("conflict", detail);
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.retryAfterSeconds !== undefined) body.error.retryAfterSeconds = this.retryAfterSeconds;
    return body;
  }
}

/** Stable code for a plain HTTPException thrown by hono itself (body limit, bad JSON, …). */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "message_too_large";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "internal";
  return "bad_request";
}

/** JSON error response for any code; used by onError and notFound. */
export function errorResponse(c: Context, error: PortholeError): Response {
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
  return c.json(error.toBody(), error.status, headers);
}

/** The app's single error handler (hono `app.onError`). */
export function onError(err: Error, c: Context): Response {
  if (err instanceof PortholeError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = codeForStatus(err.status);
    return errorResponse(c, new PortholeError(code, err.message || undefined));
  }
  log({ event: "internal_error", path: new URL(c.req.url).pathname, message: String(err?.stack ?? err) });
  return errorResponse(c, new PortholeError("internal"));
}
