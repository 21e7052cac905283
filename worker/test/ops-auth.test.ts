// The operators' sign-in (POST /api/ops/session) and who may read /api/ops/*: only the holder of
// the operator cookie — never a signed-in user, never a user's JWT dressed up as one, never a
// wrong admin token more than a few times from one address.
import { describe, expect, it } from "vitest";
import { OPS_MAX_RANGE_MS, type OpsMe } from "../../protocol/index.ts";
import { mintUserSession } from "../src/auth/user-session.ts";
import { env } from "cloudflare:workers";
import { api, signUp } from "./support/accounts.ts";
import { ADMIN_TOKEN, errorOf } from "./support/http.ts";

const ROUTES = ["/api/ops/me", "/api/ops/summary", "/api/ops/sessions", "/api/ops/ttff", "/api/ops/failures", "/api/ops/cameras", "/api/ops/offline", "/api/ops/regions"];

function randomIp(): string {
  const n = Math.floor(Math.random() * 2 ** 16);
  return `198.18.${n >>> 8}.${n & 255}`;
}

async function operatorCookie(): Promise<string> {
  const res = await api("POST", "/api/ops/session", { body: { adminToken: ADMIN_TOKEN }, ip: randomIp() });
  expect(res.status, await res.clone().text()).toBe(201);
  const set = res.headers.getSetCookie().find((h) => h.startsWith("porthole_ops="));
  expect(set).toBeDefined();
  return set!.split(";", 1)[0]!;
}

describe("operator sign-in", () => {
  it("exchanges the admin token for an HttpOnly, SameSite=Strict cookie scoped to /api/ops that lasts an hour", async () => {
    const res = await api("POST", "/api/ops/session", { body: { adminToken: ADMIN_TOKEN }, ip: randomIp() });
    expect(res.status).toBe(201);
    const me = (await res.json()) as OpsMe;
    expect(me.operator).toBe(true);
    expect(me.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
    const set = res.headers.getSetCookie().find((h) => h.startsWith("porthole_ops="))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\/api\/ops/i);
    expect(set).toMatch(/Max-Age=3600/i);
  });

  it("answers GET /api/ops/me for the operator and forgets the operator after DELETE", async () => {
    const cookie = await operatorCookie();
    const me = await api("GET", "/api/ops/me", { cookie });
    expect(me.status).toBe(200);
    expect(((await me.json()) as OpsMe).operator).toBe(true);
    const out = await api("DELETE", "/api/ops/session", { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().find((h) => h.startsWith("porthole_ops="))).toMatch(/Max-Age=0/i);
  });

  it("refuses a wrong admin token with unauthorized and rate limits an address after ten wrong ones", async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++) {
      const res = await api("POST", "/api/ops/session", { body: { adminToken: "not-the-token" }, ip });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("unauthorized");
    }
    const limited = await api("POST", "/api/ops/session", { body: { adminToken: ADMIN_TOKEN }, ip });
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).code).toBe("rate_limited");
  });

  it("refuses a sign-in from another origin and a body that is not the schema's", async () => {
    const cross = await api("POST", "/api/ops/session", { body: { adminToken: ADMIN_TOKEN }, ip: randomIp(), headers: { origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
    const extra = await api("POST", "/api/ops/session", { body: { adminToken: ADMIN_TOKEN, operator: true }, ip: randomIp() });
    expect(extra.status).toBe(400);
    const asForm = await api("POST", "/api/ops/session", { body: `adminToken=${ADMIN_TOKEN}`, ip: randomIp(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(asForm.status).toBe(400);
  });
});

describe("who may read /api/ops/*", () => {
  it.each(ROUTES)("refuses %s without the operator cookie (operator_required)", async (path) => {
    const res = await api("GET", path);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("operator_required");
  });

  it("refuses a signed-in user's session cookie, and the user's JWT presented as the operator cookie", async () => {
    const user = await signUp();
    for (const path of ROUTES) {
      const res = await api("GET", path, { cookie: user.cookie });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("operator_required");
    }
    const { token } = await mintUserSession(env, { id: user.id, sessionVersion: 1 });
    const dressedUp = await api("GET", "/api/ops/summary", { cookie: `porthole_ops=${token}` });
    expect(dressedUp.status).toBe(401);
    expect((await errorOf(dressedUp)).code).toBe("operator_required");
  });

  it("refuses a range that is reversed, longer than 31 days or not whole Unix milliseconds", async () => {
    const cookie = await operatorCookie();
    const now = Date.now();
    for (const query of [`from=${now}&to=${now - 1000}`, `from=${now - OPS_MAX_RANGE_MS - 3_600_000}&to=${now}`, "from=1e3", "to=-5", "since=1"]) {
      const res = await api("GET", `/api/ops/summary?${query}`, { cookie });
      expect(res.status, query).toBe(400);
      expect((await errorOf(res)).code).toBe("bad_request");
    }
  });

  it("serves every chart to the operator with the default range of the last day in hourly buckets", async () => {
    const cookie = await operatorCookie();
    for (const path of ROUTES.slice(1)) {
      const res = await api("GET", path, { cookie });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as { from: number; to: number; bucketMs: number };
      expect(body.bucketMs).toBe(3_600_000);
      expect(body.to - body.from).toBeGreaterThanOrEqual(86_400_000);
      expect(body.to - body.from).toBeLessThanOrEqual(86_400_000 + 3_600_000);
    }
  });
});
