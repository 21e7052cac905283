// POST /api/connection-test and GET /ws/probe: what the PWA's "Test my connection" gets from the
// edge — signed in only, rate-limited, short-lived TURN credentials per transport, the STUN
// addresses in RFC 5780 roles, the chosen camera's NAT report and whether it shares the caller's
// network — and never the TURN secret.
import { createHmac } from "node:crypto";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { CONNECTION_TEST_PATH, CONNECTION_TEST_TURN_TTL_SECONDS, ConnectionTestResponseSchema, type NatStatus } from "../../protocol/index.ts";
import { app } from "../src/app.ts";
import { stunProbes } from "../src/turn/index.ts";
import { api, claim, signUp } from "./support/accounts.ts";
import { DEVICE_HELLO } from "./support/connect.ts";
import { call, errorOf } from "./support/http.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets, TestSocket } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

afterEach(closeAllSockets);

const SECRET = "conntest-secret-never-on-the-wire";
const REGIONS = [
  {
    id: "fra",
    urls: ["stun:198.51.100.10:3478", "turn:198.51.100.10:3478?transport=udp", "turn:198.51.100.10:3478?transport=tcp", "turns:turn.example.test:443?transport=tcp"],
    altStun: "stun:198.51.100.11:3478",
  },
  { id: "iad", urls: ["stun:203.0.113.20:3478", "turn:203.0.113.20:3478?transport=udp"] },
];

const test = (opts: { cookie?: string; ip?: string; body?: unknown } = {}) =>
  api("POST", CONNECTION_TEST_PATH, { ...(opts.cookie ? { cookie: opts.cookie } : {}), ip: opts.ip ?? "192.0.2.50", body: opts.body ?? {} });

const uniqueIp = (() => {
  let n = 0;
  return () => `198.18.${Math.floor(++n / 250)}.${(n % 250) + 1}`;
})();

describe("POST /api/connection-test", () => {
  it("refuses a caller without a session cookie", async () => {
    const res = await test();
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("not_signed_in");
  });

  it("answers a signed-in user with the STUN probes and no relays when the edge has no TURN", async () => {
    const user = await signUp();
    const res = await test({ cookie: user.cookie, ip: uniqueIp() });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = ConnectionTestResponseSchema.parse(await res.json());
    // The test edge: ICE_SERVERS = one STUN server, no TURN_SECRET.
    expect(body).toMatchObject({ turnConfigured: false, expiresAt: null, relays: [], camera: null });
    expect(body.stun).toEqual([
      { role: "primary", url: "stun:stun.test.invalid:3478" },
      { role: "alt-port", url: "stun:stun.test.invalid:3479", sameAddressAs: "primary" },
    ]);
  });

  it("hands out each relay transport alone with a two-minute credential coturn accepts, and never the secret", async () => {
    const user = await signUp();
    const before = Math.floor(Date.now() / 1000);
    const res = await app.request(
      CONNECTION_TEST_PATH,
      { method: "POST", headers: { "content-type": "application/json", cookie: user.cookie, "cf-connecting-ip": uniqueIp() }, body: "{}" },
      { ...env, TURN_SECRET: SECRET, TURN_REGIONS: JSON.stringify(REGIONS) },
    );
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(SECRET);
    const body = ConnectionTestResponseSchema.parse(JSON.parse(text));
    expect(body.turnConfigured).toBe(true);
    expect(body.relays.map((r) => [r.transport, r.url])).toEqual([
      ["udp", "turn:198.51.100.10:3478?transport=udp"],
      ["tcp", "turn:198.51.100.10:3478?transport=tcp"],
      ["tls", "turns:turn.example.test:443?transport=tcp"],
    ]);
    for (const r of body.relays) {
      const [expiry, id] = r.username.split(":");
      expect(Number(expiry) - before).toBeGreaterThanOrEqual(CONNECTION_TEST_TURN_TTL_SECONDS - 1);
      expect(Number(expiry) - before).toBeLessThanOrEqual(CONNECTION_TEST_TURN_TTL_SECONDS + 1);
      expect(id).toMatch(/\.test$/);
      expect(id).not.toContain(user.id); // coturn's log learns nothing about the account
      expect(r.credential).toBe(createHmac("sha1", SECRET).update(r.username).digest("base64"));
    }
    expect(body.expiresAt).toBe(Number(body.relays[0]!.username.split(":")[0]));
    // The region's altStun is the second address; its alternate port defaults to port + 1.
    expect(body.stun).toEqual([
      { role: "primary", url: "stun:198.51.100.10:3478" },
      { role: "alt-address", url: "stun:198.51.100.11:3478" },
      { role: "alt-port", url: "stun:198.51.100.11:3479", sameAddressAs: "alt-address" },
    ]);
  });

  it("answers for the caller's own camera with its NAT report and whether they share its network", async () => {
    const owner = await signUp();
    const device = await provisionDevice();
    await claim(owner, device);
    const cameraIp = uniqueIp();
    const up = await call(`/ws/device/${device.serial}`, { headers: { upgrade: "websocket", authorization: `Bearer ${device.token}`, "cf-connecting-ip": cameraIp } });
    expect(up.status).toBe(101);
    const socket = TestSocket.from(up);
    socket.send(DEVICE_HELLO);
    await socket.expectMessage("welcome");
    const nat: NatStatus = { natType: "symmetric", mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", hairpinning: false, udpBlocked: false, rfc5780: true, at: Date.now() };
    socket.send({ type: "status", nat });
    await eventually(async () => (await env.DB.prepare("SELECT nat_status FROM devices WHERE serial = ?").bind(device.serial).first<{ nat_status: string | null }>())?.nat_status ?? null, (v) => v !== null);

    const home = ConnectionTestResponseSchema.parse(await (await test({ cookie: owner.cookie, ip: cameraIp, body: { camera: device.serial } })).json());
    expect(home.camera).toMatchObject({ serial: device.serial, online: true, nat: { natType: "symmetric", mapping: "address-and-port-dependent" }, sameNetworkAsCamera: true });
    const away = ConnectionTestResponseSchema.parse(await (await test({ cookie: owner.cookie, ip: uniqueIp(), body: { camera: device.serial } })).json());
    expect(away.camera?.sameNetworkAsCamera).toBe(false);
    expect(JSON.stringify(away)).not.toContain(cameraIp);
  });

  it("refuses a camera the caller has no access to exactly like one that does not exist", async () => {
    const owner = await signUp();
    const stranger = await signUp();
    const device = await provisionDevice();
    await claim(owner, device);
    const theirs = await test({ cookie: stranger.cookie, ip: uniqueIp(), body: { camera: device.serial } });
    const missing = await test({ cookie: stranger.cookie, ip: uniqueIp(), body: { camera: "CAM-NOBODY-HAS-THIS" } });
    expect([theirs.status, missing.status]).toEqual([403, 403]);
    expect((await errorOf(theirs)).code).toBe("no_access");
    expect((await errorOf(missing)).code).toBe("no_access");
    const bad = await test({ cookie: stranger.cookie, ip: uniqueIp(), body: { camera: "not a serial" } });
    expect((await errorOf(bad)).code).toBe("bad_request");
  });

  it("refuses the eleventh test of one user in ten minutes, from any address", async () => {
    const user = await signUp();
    for (let i = 0; i < 10; i++) expect((await test({ cookie: user.cookie, ip: uniqueIp() })).status).toBe(200);
    const res = await test({ cookie: user.cookie, ip: uniqueIp() });
    expect(res.status).toBe(429);
    const err = await errorOf(res);
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("refuses the thirty-first test from one address in ten minutes, whoever asks", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 30; i++) {
      const user = await signUp();
      expect((await test({ cookie: user.cookie, ip })).status).toBe(200);
    }
    const late = await signUp();
    const res = await test({ cookie: late.cookie, ip });
    expect((await errorOf(res)).code).toBe("rate_limited");
  });
});

describe("GET /ws/probe", () => {
  it("upgrades, sends one frame with the edge's time and closes 1000", async () => {
    const before = Date.now();
    const res = await call("/ws/probe", { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const socket = TestSocket.from(res);
    const msg = (await socket.expectMessage("probe")) as { serverTime: string };
    expect(Date.parse(msg.serverTime)).toBeGreaterThanOrEqual(before - 1000);
    const closed = await socket.waitClosed();
    expect(closed.code).toBe(1000);
  });

  it("refuses a plain GET", async () => {
    const res = await call("/ws/probe");
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
  });
});

describe("stunProbes", () => {
  it("without altStun takes the next region's server as the second address and the primary's port + 1", () => {
    expect(stunProbes([{ ...REGIONS[0]!, altStun: undefined }, REGIONS[1]!], [])).toEqual([
      { role: "primary", url: "stun:198.51.100.10:3478" },
      { role: "alt-address", url: "stun:203.0.113.20:3478" },
      { role: "alt-port", url: "stun:198.51.100.10:3479", sameAddressAs: "primary" },
    ]);
  });

  it("uses the configured alternate port, and offers nothing without any STUN server", () => {
    expect(stunProbes([{ ...REGIONS[0]!, altStunPort: 40001 }], [])[2]).toEqual({ role: "alt-port", url: "stun:198.51.100.11:40001", sameAddressAs: "alt-address" });
    expect(stunProbes([], [])).toEqual([]);
  });
});
