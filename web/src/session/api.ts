// Why: the edge HTTP calls the viewer makes, with every failure turned into a stable error
// code (the edge's own, or network_error / protocol_error from the browser side). The
// account API (account-api.ts) goes through the same request().
import { z } from "zod";
import {
  CreateSessionResponseSchema,
  DevicePresenceSchema,
  type CreateSessionRequest,
  type CreateSessionResponse,
  type DevicePresence,
} from "../../../protocol/http.ts";
import type { UiError } from "../lib/session-state.ts";

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: UiError };

// protocol/errors.ts declares ErrorBody as a type; the browser still validates what it gets.
const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1).max(64),
    message: z.string().optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
  }),
});

/** The stable error of a non-2xx answer: the edge's JSON body, else a code from the status. */
export async function errorFrom(res: Response): Promise<UiError> {
  const body = ErrorBodySchema.safeParse(await res.json().catch(() => null));
  const header = Number(res.headers.get("retry-after"));
  const retryAfterSeconds = body.success
    ? body.data.error.retryAfterSeconds ?? (Number.isFinite(header) && header > 0 ? header : undefined)
    : undefined;
  if (!body.success) return { code: res.status >= 500 ? "internal" : "protocol_error", detail: `HTTP ${res.status}` };
  return {
    code: body.data.error.code,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(body.data.error.message ? { detail: body.data.error.message } : {}),
  };
}

/**
 * One JSON call. Cookies go along (same origin). A 204, or a body the schema does not match,
 * is a protocol_error unless the schema accepts `null` (calls that answer nothing).
 */
export async function request<T>(schema: z.ZodType<T>, input: string, init: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(input, { ...init, cache: "no-store", credentials: "same-origin", headers: { accept: "application/json", ...init.headers } });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    return { ok: false, error: { code: "network_error" } };
  }
  if (!res.ok) return { ok: false, error: await errorFrom(res) };
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: { code: "protocol_error", detail: "bad response body" } };
}

/** POST /api/sessions: trade serial + access code for a single-use signaling ticket. */
export function createSession(body: CreateSessionRequest, signal?: AbortSignal): Promise<ApiResult<CreateSessionResponse>> {
  return request(CreateSessionResponseSchema, "/api/sessions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

/** GET /api/devices/:serial: online / last seen, readable without the access code. */
export function getPresence(serial: string, signal?: AbortSignal): Promise<ApiResult<DevicePresence>> {
  return request(DevicePresenceSchema, `/api/devices/${encodeURIComponent(serial)}`, {
    method: "GET",
    ...(signal ? { signal } : {}),
  });
}
