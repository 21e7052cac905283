// Why: the vendor CLI talks to the edge's HTTP API; every answer is checked against its
// protocol schema and every refusal surfaces the edge's stable error code.
import type { z } from "zod";
import { ERROR_CODES, isErrorCode } from "../../protocol/index.ts";

export class EdgeRequestError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(`${code} (${status}): ${message}`);
    this.status = status;
    this.code = code;
  }
}

export async function callEdge<S extends z.ZodType>(
  edge: string,
  method: string,
  path: string,
  schema: S,
  options: { bearer?: string; body?: unknown; headers?: Record<string, string>; onResponse?: (res: Response) => void } = {},
): Promise<{ status: number; body: z.infer<S> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(new URL(path, edge), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new Error(`Cannot reach the edge at ${edge} (${String((cause as Error)?.message ?? cause)}). Is it running (npm start)?`);
  }
  options.onResponse?.(res);
  const text = await res.text();
  let json: unknown = null;
  try {
    // 204 and friends carry no body.
    if (text) json = JSON.parse(text);
  } catch {
    throw new EdgeRequestError(res.status, "bad_response", `the edge answered ${method} ${path} with non-JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = isErrorCode(err?.code) ? err.code : "internal";
    const message = typeof err?.message === "string" ? err.message : ERROR_CODES[code].message;
    throw new EdgeRequestError(res.status, code, message);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new EdgeRequestError(res.status, "bad_response", `unexpected answer to ${method} ${path}`);
  return { status: res.status, body: parsed.data };
}
