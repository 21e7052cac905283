// Throttles under parallel load: N requests fired at once never get more than the limit judged
// (wrong codes, wrong passwords) or served (sign-ups, connection tests, presence lookups); the
// rest are refused rate_limited with a retry-after. Sequential limits are in accounts, cameras,
// viewer-session and connection-test tests.
import { describe, expect, it } from "vitest";
import { CONNECTION_TEST_PATH } from "../../protocol/index.ts";
import { ACCESS_CODE_RULES, CONNECTION_TEST_RULES, LOGIN_RULES, SIGNUP_RULE } from "../src/rate-limit.ts";
import wranglerToml from "../../wrangler.toml?raw";
import { api, PASSWORD, signUp, uniqueEmail } from "./support/accounts.ts";
import { connectDevice, requestSession } from "./support/connect.ts";
import { errorOf } from "./support/http.ts";
import { provisionDevice } from "./support/provision.ts";

/** The presence limiter's lookups per minute, as wrangler.toml configures the binding. */
function presencePerMinute(): number {
  const m = /\[\[ratelimits\]\]\s*name = "PRESENCE_LIMITER"[^[]*?simple = \{ limit = (\d+), period = 60 \}/.exec(wranglerToml);
  expect(m, "wrangler.toml's PRESENCE_LIMITER with a 60 s period").not.toBeNull();
  return Number(m![1]);
}

const LIMITS = {
  codePerClient: ACCESS_CODE_RULES.perClient.limit,
  codePerSerial: ACCESS_CODE_RULES.perSerial.limit,
  loginPerAccount: LOGIN_RULES.perAccount.limit,
  loginPerClient: LOGIN_RULES.perClient.limit,
  signUpPerClient: SIGNUP_RULE.limit,
  connTestPerUser: CONNECTION_TEST_RULES.perUser.limit,
  presencePerMinute: presencePerMinute(),
};

/** An address no other test in this file uses. */
const uniqueIp = (() => {
  let n = 0;
  return () => `198.19.${Math.floor(++n / 250)}.${(n % 250) + 1}`;
})();

/** Status → how many, and the error codes of the refusals; checks every 429 says when to retry. */
async function tally(responses: Response[]): Promise<{ statuses: Record<number, number>; codes: Record<string, number> }> {
  const statuses: Record<number, number> = {};
  const codes: Record<string, number> = {};
  for (const res of responses) {
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status < 400) continue;
    const { code, retryAfterSeconds } = await errorOf(res);
    codes[code] = (codes[code] ?? 0) + 1;
    if (code === "rate_limited") {
      expect(retryAfterSeconds).toBeGreaterThan(0);
      expect(Number(res.headers.get("retry-after"))).toBe(retryAfterSeconds);
    }
  }
  return { statuses, codes };
}

describe("access codes guessed in parallel", () => {
  it("judges only five of forty wrong codes sent at once from one address, and refuses the rest rate_limited", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const ip = uniqueIp();
    const { codes } = await tally(await Promise.all(Array.from({ length: 40 }, () => requestSession(device.serial, "WRONGCODE2", ip))));
    expect(codes.wrong_access_code).toBe(LIMITS.codePerClient);
    expect(codes.rate_limited).toBe(40 - codes.wrong_access_code!);
  });

  it("judges only thirty wrong codes for one camera when forty addresses guess at once", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { codes } = await tally(await Promise.all(Array.from({ length: 40 }, () => requestSession(device.serial, "WRONGCODE2", uniqueIp()))));
    expect(codes.wrong_access_code).toBe(LIMITS.codePerSerial);
    expect(codes.rate_limited).toBe(40 - codes.wrong_access_code!);
  });

  it("judges only five of twenty wrong claims sent at once from one address", async () => {
    const device = await provisionDevice("ES256", { allowCodeViewing: false });
    const user = await signUp();
    const ip = uniqueIp();
    const claims = Array.from({ length: 20 }, () => api("POST", "/api/cameras", { cookie: user.cookie, ip, body: { serial: device.serial, accessCode: "WRONGCODE2" } }));
    const { codes } = await tally(await Promise.all(claims));
    expect(codes.wrong_access_code).toBe(LIMITS.codePerClient);
    expect(codes.rate_limited).toBe(20 - codes.wrong_access_code!);
  });

  it("gives a right code's attempt back, so a viewer who keeps typing it right is never limited", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const ip = uniqueIp();
    for (let i = 0; i < LIMITS.codePerClient + 3; i++) expect((await requestSession(device.serial, device.accessCode, ip)).status).toBe(201);
    expect((await requestSession(device.serial, "WRONGCODE2", ip)).status).toBe(403);
  });
});

describe("sign-ins guessed in parallel", () => {
  it("judges only ten of forty wrong passwords for one account sent at once from many addresses", async () => {
    const user = await signUp();
    const tries = Array.from({ length: 40 }, () => api("POST", "/api/auth/login", { ip: uniqueIp(), body: { email: user.email, password: "wrong password" } }));
    const { codes } = await tally(await Promise.all(tries));
    expect(codes.invalid_credentials).toBe(LIMITS.loginPerAccount);
    expect(codes.rate_limited).toBe(40 - codes.invalid_credentials!);
  });

  it("judges only thirty of forty wrong sign-ins sprayed at once from one address", async () => {
    const ip = uniqueIp();
    const tries = Array.from({ length: 40 }, () => api("POST", "/api/auth/login", { ip, body: { email: uniqueEmail("spray"), password: "wrong password" } }));
    const { codes } = await tally(await Promise.all(tries));
    expect(codes.invalid_credentials).toBe(LIMITS.loginPerClient);
    expect(codes.rate_limited).toBe(40 - codes.invalid_credentials!);
  });

  it("gives a right password's attempt back, so signing in often never locks the account", async () => {
    const user = await signUp();
    const ip = uniqueIp();
    for (let i = 0; i < LIMITS.loginPerAccount + 3; i++) {
      expect((await api("POST", "/api/auth/login", { ip, body: { email: user.email, password: PASSWORD } })).status).toBe(200);
    }
  });
});

describe("sign-ups in parallel", () => {
  it("creates only ten of fifteen accounts signed up at once from one address, and refuses the rest rate_limited", async () => {
    const ip = uniqueIp();
    const { statuses, codes } = await tally(await Promise.all(Array.from({ length: 15 }, () => api("POST", "/api/auth/signup", { ip, body: { email: uniqueEmail("burst"), password: PASSWORD } }))));
    expect(statuses[201]).toBe(LIMITS.signUpPerClient);
    expect(codes.rate_limited).toBe(15 - statuses[201]!);
  });

  it("counts every sign-up of an address, successful or not, and leaves other addresses alone", async () => {
    const ip = uniqueIp();
    const taken = await signUp();
    for (let i = 0; i < LIMITS.signUpPerClient; i++) {
      const email = i % 2 === 0 ? uniqueEmail("serial") : taken.email;
      expect((await api("POST", "/api/auth/signup", { ip, body: { email, password: PASSWORD } })).status).toBe(i % 2 === 0 ? 201 : 409);
    }
    const refused = await api("POST", "/api/auth/signup", { ip, body: { email: uniqueEmail("late"), password: PASSWORD } });
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).code).toBe("rate_limited");
    expect((await api("POST", "/api/auth/signup", { ip: uniqueIp(), body: { email: uniqueEmail("other"), password: PASSWORD } })).status).toBe(201);
  });
});

describe("connection tests in parallel", () => {
  it("serves only ten of twenty tests one user starts at once", async () => {
    const user = await signUp();
    const { statuses, codes } = await tally(await Promise.all(Array.from({ length: 20 }, () => api("POST", CONNECTION_TEST_PATH, { cookie: user.cookie, ip: uniqueIp(), body: {} }))));
    expect(statuses[200]).toBe(LIMITS.connTestPerUser);
    expect(codes.rate_limited).toBe(20 - statuses[200]!);
  });
});

describe("presence lookups", () => {
  it("answers rate_limited (429) to one address's lookups beyond the per-minute limit", async () => {
    const device = await provisionDevice();
    const ip = uniqueIp();
    // Twice the limit and one more: even if the minute turns over half way, one window overflows.
    const total = 2 * LIMITS.presencePerMinute + 1;
    const responses: Response[] = [];
    for (let i = 0; i < total; i += 50) {
      responses.push(...(await Promise.all(Array.from({ length: Math.min(50, total - i) }, () => api("GET", `/api/devices/${device.serial}`, { ip })))));
    }
    const { statuses, codes } = await tally(responses);
    expect(statuses[200]).toBeGreaterThanOrEqual(LIMITS.presencePerMinute);
    expect(statuses[200]).toBeLessThanOrEqual(2 * LIMITS.presencePerMinute);
    expect(codes.rate_limited).toBe(total - statuses[200]!);
    // Another address is not affected.
    expect((await api("GET", `/api/devices/${device.serial}`, { ip: uniqueIp() })).status).toBe(200);
  });
});
