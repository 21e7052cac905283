// Why: account tests sign people up, carry their session cookie and call the cookie-authenticated
// API the way the PWA does (JSON bodies, same-origin); these helpers keep that out of the tests.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { SESSION_COOKIE_NAME, type Camera, type CreateSessionResponse, type Me, type ShareRole } from "../../../protocol/index.ts";
import { mintUserSession } from "../../src/auth/user-session.ts";
import { openViewer, VIEWER_HELLO } from "./connect.ts";
import { call } from "./http.ts";
import { uniqueSerial } from "./ids.ts";
import type { TestDevice } from "./provision.ts";
import type { TestSocket } from "./test-socket.ts";

export const PASSWORD = "correct horse battery staple";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  /** `porthole_session=<jwt>`, ready for a Cookie header. */
  cookie: string;
}

let counter = 0;
/** An email no other test uses. */
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}-${uniqueSerial("E").toLowerCase()}-${counter}@example.test`;
}

/** `name=value` of the session cookie a response sets, if any. */
export function sessionCookieOf(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((h) => h.startsWith(`${SESSION_COOKIE_NAME}=`));
  return set?.split(";", 1)[0];
}

export function cookieFor(token: string): string {
  return `${SESSION_COOKIE_NAME}=${token}`;
}

export interface ApiOptions {
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** cf-connecting-ip; defaults to one address per test file run. */
  ip?: string;
}

/** Any method, JSON body when given, the session cookie when given. */
export function api(method: string, path: string, opts: ApiOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": opts.ip ?? "192.0.2.10", ...opts.headers };
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  }
  return call(path, { method, headers, body });
}

/**
 * Each test person signs up from an address of their own (random in 10.0.0.0/8, so test files
 * sharing the D1 counters do not pile onto one address either): sign-ups are limited per address
 * (SIGNUP_LIMIT), and a test file signs up far more people than one household would.
 */
function signUpAddress(): string {
  const n = Math.floor(Math.random() * 2 ** 24);
  return `10.${n >>> 16}.${(n >>> 8) & 255}.${n & 255}`;
}

export async function signUp(email: string = uniqueEmail(), password: string = PASSWORD): Promise<TestUser> {
  const res = await api("POST", "/api/auth/signup", { body: { email, password }, ip: signUpAddress() });
  expect(res.status, await res.clone().text()).toBe(201);
  const me = (await res.json()) as Me;
  const cookie = sessionCookieOf(res);
  expect(cookie).toBeDefined();
  return { id: me.user.id, email: me.user.email, password, cookie: cookie! };
}

/** A session cookie minted with the edge key at another time (e.g. already expired). */
export async function cookieMintedAt(user: { id: string }, nowSeconds: number, sessionVersion = 1): Promise<string> {
  const { token } = await mintUserSession(env, { id: user.id, sessionVersion }, nowSeconds);
  return cookieFor(token);
}

export async function claim(user: TestUser, device: TestDevice, name?: string): Promise<Camera> {
  const res = await api("POST", "/api/cameras", { cookie: user.cookie, body: { serial: device.serial, accessCode: device.accessCode, name } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Camera;
}

export async function share(owner: TestUser, serial: string, to: TestUser, role: ShareRole): Promise<Response> {
  return api("POST", `/api/cameras/${serial}/shares`, { cookie: owner.cookie, body: { email: to.email, role } });
}

export async function unshare(owner: TestUser, serial: string, userId: string): Promise<Response> {
  return api("DELETE", `/api/cameras/${serial}/shares/${userId}`, { cookie: owner.cookie });
}

/** POST /api/sessions as a signed-in user (serial only). */
export function requestUserSession(user: { cookie: string }, serial: string): Promise<Response> {
  return api("POST", "/api/sessions", { cookie: user.cookie, body: { serial } });
}

/** Signs the user's ticket request, opens the viewer socket and checks both ends started. */
export async function startUserViewer(user: { cookie: string }, serial: string, deviceSocket: TestSocket): Promise<{ viewer: TestSocket; sessionId: string }> {
  const res = await requestUserSession(user, serial);
  expect(res.status, await res.clone().text()).toBe(201);
  const { ticket, sessionId } = (await res.json()) as CreateSessionResponse;
  const viewer = await openViewer(serial, ticket);
  viewer.send(VIEWER_HELLO);
  expect((await viewer.expectMessage("welcome")).sessionId).toBe(sessionId);
  expect((await deviceSocket.expectMessage("session-start")).sessionId).toBe(sessionId);
  return { viewer, sessionId };
}
