// Accounts end to end in workerd: sign-up, sign-in, sign-out, "who am I", the session cookie's
// attributes and renewal, sign-in throttling, CSRF refusals and the audit trail.
import { env, exports } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME, USER_SESSION_TTL_SECONDS, type Me } from "../../protocol/index.ts";
import { LOGIN_RULES } from "../src/rate-limit.ts";
import { api, cookieMintedAt, PASSWORD, sessionCookieOf, signUp, uniqueEmail } from "./support/accounts.ts";
import { errorOf } from "./support/http.ts";
import { nowSeconds } from "./support/keys.ts";

function setCookieHeader(res: Response): string {
  const header = res.headers.getSetCookie().find((h) => h.startsWith(`${SESSION_COOKIE_NAME}=`));
  expect(header, "a session Set-Cookie").toBeDefined();
  return header!;
}

function signUpAt(origin: string, email = uniqueEmail()): Promise<Response> {
  return exports.default.fetch(`${origin}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.50" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
}

function login(email: string, password: string, ip = "192.0.2.60"): Promise<Response> {
  return api("POST", "/api/auth/login", { body: { email, password }, ip });
}

async function auditKinds(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT kind FROM audit_events WHERE actor_user_id = ? OR subject_user_id = ? ORDER BY id")
    .bind(userId, userId)
    .all<{ kind: string }>();
  return results.map((r) => r.kind);
}

describe("sign-up", () => {
  it("creates an account with a u_ id, a lower-cased email and a signed-in session", async () => {
    const email = uniqueEmail("Mixed").toUpperCase();
    const res = await api("POST", "/api/auth/signup", { body: { email: `  ${email} `, password: PASSWORD } });
    expect(res.status).toBe(201);
    const me = (await res.json()) as Me;
    expect(me.user.id).toMatch(/^u_[A-Za-z0-9_-]{22}$/);
    expect(me.user.email).toBe(email.toLowerCase());
    const exp = Date.parse(me.sessionExpiresAt) / 1000;
    expect(Math.abs(exp - (nowSeconds() + USER_SESSION_TTL_SECONDS))).toBeLessThan(5);
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(me.user.id).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
  });

  it("refuses a taken email with email_taken (an accepted disclosure), whatever its case", async () => {
    const user = await signUp();
    const res = await api("POST", "/api/auth/signup", { body: { email: user.email.toUpperCase(), password: "something else entirely" } });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe("email_taken");
  });

  it("refuses a short password and a malformed email with bad_request", async () => {
    expect((await api("POST", "/api/auth/signup", { body: { email: uniqueEmail(), password: "short" } })).status).toBe(400);
    expect((await api("POST", "/api/auth/signup", { body: { email: "not-an-email", password: PASSWORD } })).status).toBe(400);
  });

  it("records a sign_up audit event", async () => {
    const user = await signUp();
    expect(await auditKinds(user.id)).toEqual(["sign_up"]);
  });
});

describe("the session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/ and lives as long as the session", async () => {
    const header = setCookieHeader(await signUpAt("https://porthole.example"));
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).toMatch(/; Path=\//i);
    expect(header).toMatch(new RegExp(`; Max-Age=${USER_SESSION_TTL_SECONDS}`, "i"));
  });

  it("is Secure on an https host", async () => {
    expect(setCookieHeader(await signUpAt("https://porthole.example"))).toMatch(/; Secure/i);
  });

  it("is Secure on a plain-http host that is not loopback", async () => {
    expect(setCookieHeader(await signUpAt("http://edge.test"))).toMatch(/; Secure/i);
  });

  it.each(["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787"])("is not Secure in local development at %s", async (origin) => {
    expect(setCookieHeader(await signUpAt(origin))).not.toMatch(/; Secure/i);
  });

  it("carries an ES256 JWT for the user-session audience with the user id and session version", async () => {
    const res = await signUpAt("https://porthole.example");
    const me = (await res.clone().json()) as Me;
    const token = sessionCookieOf(res)!.split("=")[1]!;
    const header = JSON.parse(atob(token.split(".")[0]!.replaceAll("-", "+").replaceAll("_", "/"))) as { alg: string };
    expect(header.alg).toBe("ES256");
    expect(decodeJwt(token)).toMatchObject({ iss: "porthole-edge", aud: "porthole-user-session", sub: me.user.id, ver: 1 });
  });
});

describe("sign-in", () => {
  it("signs in with the right password and sets a fresh session cookie", async () => {
    const user = await signUp();
    const res = await login(user.email, PASSWORD);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Me).user).toEqual({ id: user.id, email: user.email });
    const cookie = sessionCookieOf(res)!;
    expect((await api("GET", "/api/me", { cookie })).status).toBe(200);
    expect(await auditKinds(user.id)).toEqual(["sign_up", "sign_in"]);
  });

  it("answers a wrong password and an unknown email with the same invalid_credentials body", async () => {
    const user = await signUp();
    const wrong = await login(user.email, "not the password", "192.0.2.61");
    const unknown = await login(uniqueEmail("nobody"), "not the password", "192.0.2.62");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(sessionCookieOf(wrong)).toBeUndefined();
    expect(await auditKinds(user.id)).toEqual(["sign_up", "sign_in_failed"]);
  });

  it("throttles one account after repeated failures from many addresses, with retry-after, even for the right password", async () => {
    const user = await signUp();
    for (let i = 0; i < LOGIN_RULES.perAccount.limit; i++) {
      expect((await login(user.email, "wrong password", `198.51.100.${i + 10}`)).status).toBe(401);
    }
    const res = await login(user.email, PASSWORD, "198.51.100.200");
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_RULES.perAccount.windowMs / 1000);
    expect((await errorOf(res)).retryAfterSeconds).toBe(retryAfter);
    // Another account is unaffected.
    const other = await signUp();
    expect((await login(other.email, PASSWORD, "198.51.100.201")).status).toBe(200);
  });

  it("throttles one address that sprays many accounts, without revealing which emails exist", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < LOGIN_RULES.perClient.limit; i++) {
      expect((await login(uniqueEmail("spray"), "wrong password", ip)).status).toBe(401);
    }
    const user = await signUp();
    const res = await login(user.email, PASSWORD, ip);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(res)).code).toBe("rate_limited");
    expect((await login(user.email, PASSWORD, "198.51.100.78")).status).toBe(200);
  });
});

describe("GET /api/me and sign-out", () => {
  it("answers who is signed in", async () => {
    const user = await signUp();
    const res = await api("GET", "/api/me", { cookie: user.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(((await res.json()) as Me).user).toEqual({ id: user.id, email: user.email });
  });

  it("answers not_signed_in without a cookie", async () => {
    const res = await api("GET", "/api/me");
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("not_signed_in");
  });

  it("clears the cookie on sign-out", async () => {
    const user = await signUp();
    const res = await api("POST", "/api/auth/logout", { cookie: user.cookie, body: {} });
    expect(res.status).toBe(204);
    const header = setCookieHeader(res);
    expect(header).toMatch(new RegExp(`^${SESSION_COOKIE_NAME}=;`));
    expect(header).toMatch(/Max-Age=0/i);
  });

  it("refuses every session of a user whose session version was bumped (sign out everywhere)", async () => {
    const user = await signUp();
    await env.DB.prepare("UPDATE users SET session_version = session_version + 1 WHERE id = ?").bind(user.id).run();
    const res = await api("GET", "/api/me", { cookie: user.cookie });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("not_signed_in");
  });
});

describe("session renewal", () => {
  it("sets a fresh cookie once less than half the lifetime is left", async () => {
    const user = await signUp();
    const issuedAt = nowSeconds() - Math.ceil(USER_SESSION_TTL_SECONDS * 0.6);
    const res = await api("GET", "/api/me", { cookie: await cookieMintedAt(user, issuedAt) });
    expect(res.status).toBe(200);
    const renewed = sessionCookieOf(res);
    expect(renewed).toBeDefined();
    const exp = decodeJwt(renewed!.split("=")[1]!).exp!;
    expect(Math.abs(exp - (nowSeconds() + USER_SESSION_TTL_SECONDS))).toBeLessThan(5);
    expect(Date.parse(((await res.json()) as Me).sessionExpiresAt) / 1000).toBe(exp);
  });

  it("leaves a session with more than half its lifetime alone", async () => {
    const user = await signUp();
    const res = await api("GET", "/api/me", { cookie: await cookieMintedAt(user, nowSeconds() - 60) });
    expect(res.status).toBe(200);
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it("renews on camera routes too, not only on /api/me", async () => {
    const user = await signUp();
    const res = await api("GET", "/api/cameras", { cookie: await cookieMintedAt(user, nowSeconds() - USER_SESSION_TTL_SECONDS + 120) });
    expect(res.status).toBe(200);
    expect(sessionCookieOf(res)).toBeDefined();
  });

  it("does not renew an expired session", async () => {
    const user = await signUp();
    const res = await api("GET", "/api/me", { cookie: await cookieMintedAt(user, nowSeconds() - USER_SESSION_TTL_SECONDS - 5) });
    expect(res.status).toBe(401);
    expect(sessionCookieOf(res)).toBeUndefined();
  });
});

describe("CSRF guard", () => {
  it("refuses a sign-in posted as a form or text/plain (what a foreign page can send without preflight)", async () => {
    const user = await signUp();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await api("POST", "/api/auth/login", { body: JSON.stringify({ email: user.email, password: PASSWORD }), headers: { "content-type": type } });
      expect(res.status, type).toBe(400);
      expect(sessionCookieOf(res)).toBeUndefined();
    }
  });

  it("refuses a state-changing request from another origin with forbidden", async () => {
    const user = await signUp();
    const post = await api("POST", "/api/cameras", { cookie: user.cookie, body: { serial: "CAM-0001", accessCode: "ABCDEFGHJK" }, headers: { origin: "https://evil.example" } });
    expect(post.status).toBe(403);
    expect((await errorOf(post)).code).toBe("forbidden");
    const del = await api("DELETE", "/api/cameras/CAM-0001", { cookie: user.cookie, headers: { origin: "null" } });
    expect(del.status).toBe(403);
    expect((await errorOf(del)).code).toBe("forbidden");
  });

  it("accepts a same-origin request that names its origin", async () => {
    const res = await api("POST", "/api/auth/login", { body: { email: uniqueEmail(), password: PASSWORD }, headers: { origin: "http://edge.test" } });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("invalid_credentials");
  });
});

describe("GET /api/edge/jwks", () => {
  it("publishes the edge's public key only, cacheable for five minutes", async () => {
    const res = await api("GET", "/api/edge/jwks");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const { keys } = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: "edge-test" });
    expect(keys[0]).not.toHaveProperty("d");
  });
});
