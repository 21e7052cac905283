// The authorization matrix: every account, camera and share route plus POST /api/sessions,
// called by each kind of caller, must answer exactly the expected status and code. Each case
// gets a fresh camera (claimed, shared, one share revoked, agent online) so owner actions that
// change it (release, unshare) cannot leak into other cases.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { USER_SESSION_TTL_SECONDS } from "../../protocol/index.ts";
import { api, claim, cookieFor, cookieMintedAt, share, signUp, uniqueEmail, unshare, type TestUser } from "./support/accounts.ts";
import { connectDevice } from "./support/connect.ts";
import { errorOf } from "./support/http.ts";
import { generateVendorKeys, hs256Token, nowSeconds, signWith, unsignedToken } from "./support/keys.ts";
import { provisionDevice, type TestDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

type Principal =
  | "owner"
  | "viewer"
  | "guest"
  | "stranger"
  | "revoked share"
  | "expired session"
  | "cookie signed by another key"
  | "alg none cookie"
  | "HS256 cookie keyed with the public key"
  | "no cookie";

const PRINCIPALS: Principal[] = [
  "owner",
  "viewer",
  "guest",
  "stranger",
  "revoked share",
  "expired session",
  "cookie signed by another key",
  "alg none cookie",
  "HS256 cookie keyed with the public key",
  "no cookie",
];

interface World {
  device: TestDevice;
  cookies: Record<Principal, string | undefined>;
  users: { owner: TestUser; viewer: TestUser; guest: TestUser; extra: TestUser };
}

let people: { owner: TestUser; viewer: TestUser; guest: TestUser; stranger: TestUser; revoked: TestUser; extra: TestUser };
let forged: { otherKey: string; algNone: string; hs256: string; expired: string };

beforeAll(async () => {
  const [owner, viewer, guest, stranger, revoked, extra] = await Promise.all(
    ["owner", "viewer", "guest", "stranger", "revoked", "extra"].map((p) => signUp(uniqueEmail(p))),
  );
  people = { owner: owner!, viewer: viewer!, guest: guest!, stranger: stranger!, revoked: revoked!, extra: extra! };
  // Forgeries all claim to be the owner: the worst case.
  const claims = { iss: "porthole-edge", aud: "porthole-user-session", sub: people.owner.id, ver: 1, iat: nowSeconds() };
  const jwks = (await (await api("GET", "/api/edge/jwks")).json()) as { keys: Array<Record<string, unknown>> };
  forged = {
    otherKey: cookieFor(await signWith(await generateVendorKeys("ES256"), claims)),
    algNone: cookieFor(unsignedToken(claims)),
    hs256: cookieFor(await hs256Token(claims, JSON.stringify(jwks.keys[0]))),
    expired: await cookieMintedAt(people.owner, nowSeconds() - USER_SESSION_TTL_SECONDS - 60),
  };
});

async function world(): Promise<World> {
  const device = await provisionDevice("ES256", { allowCodeViewing: false });
  await connectDevice(device);
  const { owner, viewer, guest, revoked, stranger, extra } = people;
  await claim(owner, device);
  for (const [who, role] of [[viewer, "viewer"], [guest, "guest"], [revoked, "viewer"]] as const) {
    expect((await share(owner, device.serial, who, role)).status).toBe(201);
  }
  expect((await unshare(owner, device.serial, revoked.id)).status).toBe(204);
  return {
    device,
    users: { owner, viewer, guest, extra },
    cookies: {
      owner: owner.cookie,
      viewer: viewer.cookie,
      guest: guest.cookie,
      stranger: stranger.cookie,
      "revoked share": revoked.cookie,
      "expired session": forged.expired,
      "cookie signed by another key": forged.otherKey,
      "alg none cookie": forged.algNone,
      "HS256 cookie keyed with the public key": forged.hs256,
      "no cookie": undefined,
    },
  };
}

let ipCounter = 0;
function freshIp(): string {
  ipCounter += 1;
  return `203.0.113.${ipCounter % 250}`;
}

type Expect = [status: number, code?: string];
const SIGNED_IN: Principal[] = ["owner", "viewer", "guest", "stranger", "revoked share"];
const NOT_SIGNED_IN: Expect = [401, "not_signed_in"];

/** One expectation per principal, computed. */
function each(pick: (p: Principal) => Expect): Record<Principal, Expect> {
  return Object.fromEntries(PRINCIPALS.map((p) => [p, pick(p)])) as unknown as Record<Principal, Expect>;
}

/** Expectations for a route every signed-in person may use. */
function anySignedIn(ok: Expect): Record<Principal, Expect> {
  return each((p) => (SIGNED_IN.includes(p) ? ok : NOT_SIGNED_IN));
}

/** Expectations for an owner-only camera route. */
function ownerOnly(ok: Expect): Record<Principal, Expect> {
  return {
    ...anySignedIn(ok),
    viewer: [403, "forbidden"],
    guest: [403, "forbidden"],
    stranger: [403, "no_access"],
    "revoked share": [403, "no_access"],
  };
}

interface Route {
  name: string;
  request: (w: World, cookie: string | undefined) => Promise<Response>;
  expect: Record<Principal, Expect>;
}

const ROUTES: Route[] = [
  { name: "GET /api/me", request: (_w, cookie) => api("GET", "/api/me", { cookie }), expect: anySignedIn([200]) },
  {
    name: "POST /api/auth/logout",
    request: (_w, cookie) => api("POST", "/api/auth/logout", { cookie, body: {} }),
    expect: each(() => [204]),
  },
  {
    name: "POST /api/auth/login for an unknown email",
    // A fresh email and address per case, so the login throttle never decides the answer.
    request: (_w, cookie) => api("POST", "/api/auth/login", { cookie, body: { email: uniqueEmail("nobody"), password: "not the password" }, ip: freshIp() }),
    expect: each(() => [401, "invalid_credentials"]),
  },
  {
    name: "POST /api/auth/signup with a taken email",
    request: (w, cookie) => api("POST", "/api/auth/signup", { cookie, body: { email: w.users.owner.email, password: "another password" }, ip: freshIp() }),
    expect: each(() => [409, "email_taken"]),
  },
  { name: "GET /api/edge/jwks", request: (_w, cookie) => api("GET", "/api/edge/jwks", { cookie }), expect: each(() => [200]) },
  { name: "GET /api/cameras", request: (_w, cookie) => api("GET", "/api/cameras", { cookie }), expect: anySignedIn([200]) },
  {
    name: "POST /api/cameras (claim an owned camera with its code)",
    request: (w, cookie) => api("POST", "/api/cameras", { cookie, body: { serial: w.device.serial, accessCode: w.device.accessCode } }),
    expect: anySignedIn([409, "already_claimed"]),
  },
  {
    name: "PATCH /api/cameras/:serial",
    request: (w, cookie) => api("PATCH", `/api/cameras/${w.device.serial}`, { cookie, body: { name: "Hall", maxViewers: 2, allowCodeViewing: true } }),
    expect: ownerOnly([200]),
  },
  { name: "DELETE /api/cameras/:serial", request: (w, cookie) => api("DELETE", `/api/cameras/${w.device.serial}`, { cookie }), expect: ownerOnly([204]) },
  {
    name: "POST /api/cameras/:serial/access-code",
    request: (w, cookie) => api("POST", `/api/cameras/${w.device.serial}/access-code`, { cookie, body: {} }),
    expect: ownerOnly([200]),
  },
  { name: "GET /api/cameras/:serial/shares", request: (w, cookie) => api("GET", `/api/cameras/${w.device.serial}/shares`, { cookie }), expect: ownerOnly([200]) },
  {
    name: "POST /api/cameras/:serial/shares",
    request: (w, cookie) => api("POST", `/api/cameras/${w.device.serial}/shares`, { cookie, body: { email: w.users.extra.email, role: "guest" } }),
    expect: ownerOnly([201]),
  },
  {
    name: "DELETE /api/cameras/:serial/shares/:userId",
    request: (w, cookie) => api("DELETE", `/api/cameras/${w.device.serial}/shares/${w.users.guest.id}`, { cookie }),
    expect: ownerOnly([204]),
  },
  { name: "GET /api/cameras/:serial/sessions", request: (w, cookie) => api("GET", `/api/cameras/${w.device.serial}/sessions`, { cookie }), expect: ownerOnly([200]) },
  {
    name: "POST /api/sessions (serial only)",
    request: (w, cookie) => api("POST", "/api/sessions", { cookie, body: { serial: w.device.serial } }),
    expect: {
      ...anySignedIn([201]),
      stranger: [403, "no_access"],
      "revoked share": [403, "no_access"],
    },
  },
  {
    name: "POST /api/sessions with the access code while code viewing is off",
    request: (w, cookie) => api("POST", "/api/sessions", { cookie, body: { serial: w.device.serial, accessCode: w.device.accessCode } }),
    // People with a role are let in by their role; everyone else falls back to the code, which
    // this camera does not accept.
    expect: each((p) => (["owner", "viewer", "guest"].includes(p) ? [201] : [403, "code_viewing_disabled"])),
  },
];

describe.each(ROUTES)("$name", (route) => {
  it.each(PRINCIPALS)("answers the %s exactly as the matrix says", async (principal) => {
    const w = await world();
    const [status, code] = route.expect[principal];
    const res = await route.request(w, w.cookies[principal]);
    expect(res.status, await res.clone().text()).toBe(status);
    if (code) expect((await errorOf(res)).code).toBe(code);
  });
});

describe("the matrix's own fixture", () => {
  it("really has a revoked share and a live camera before each case", async () => {
    const w = await world();
    const row = await env.DB.prepare("SELECT role FROM device_access WHERE serial = ? AND user_id = ?").bind(w.device.serial, people.revoked.id).first();
    expect(row).toBeNull();
    const presence = (await (await api("GET", `/api/devices/${w.device.serial}`)).json()) as { online: boolean };
    expect(presence.online).toBe(true);
  });
});
