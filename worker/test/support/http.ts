// Why: requests go through the real worker entry (`exports.default.fetch`) in workerd; these
// wrappers keep the tests about behaviour, not about building requests.
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { ErrorBody } from "../../../protocol/index.ts";

export const ORIGIN = "http://edge.test";
export const ADMIN_TOKEN = "test-admin-token";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

/** POST a JSON body, optionally with a bearer token and extra headers. */
export function postJson(path: string, body: unknown, opts: { bearer?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  return call(path, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Reads a JSON error body and checks its shape on the way. */
export async function errorOf(res: Response): Promise<ErrorBody["error"]> {
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as ErrorBody;
  expect(typeof body.error?.code).toBe("string");
  expect(typeof body.error?.message).toBe("string");
  return body.error;
}
