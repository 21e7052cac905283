// Why a camera is offline (issue 11): the edge records how each device connection ended, with
// a keyed hash of the camera's network, and shows its owner the history, the last NAT report and
// the last doctor run. Run through the real routes, the DeviceHub and D1.
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, afterEach, expect, it } from "vitest";
import { CameraDiagnosticsSchema, DEVICE_CONNECTIONS_KEPT, type CameraDiagnostics, type NatStatus } from "../../protocol/index.ts";
import { lastNetworkTag } from "../src/db/device-connections.ts";
import { db } from "../src/db/client.ts";
import { networkTag } from "../src/net/network-tag.ts";
import { api, claim, signUp, share, type TestUser } from "./support/accounts.ts";
import { DEVICE_HELLO } from "./support/connect.ts";
import { call, postJson } from "./support/http.ts";
import { vendorApiToken } from "./support/keys.ts";
import { provisionDevice, revokeDevice, type TestDevice } from "./support/provision.ts";
import { closeAllSockets, TestSocket } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

afterEach(closeAllSockets);

const CAMERA_IP = "198.51.100.23";

/** The device socket as the agent opens it, from CAMERA_IP. */
async function connect(device: TestDevice, ip = CAMERA_IP): Promise<TestSocket> {
  const res = await call(`/ws/device/${device.serial}`, { headers: { upgrade: "websocket", authorization: `Bearer ${device.token}`, "cf-connecting-ip": ip } });
  const socket = TestSocket.from(res);
  socket.send(DEVICE_HELLO);
  await socket.expectMessage("welcome");
  return socket;
}

async function ownedCamera(): Promise<{ owner: TestUser; device: TestDevice }> {
  const device = await provisionDevice();
  const owner = await signUp();
  await claim(owner, device);
  return { owner, device };
}

async function diagnostics(user: TestUser, serial: string): Promise<CameraDiagnostics> {
  const res = await api("GET", `/api/cameras/${serial}/diagnostics`, { cookie: user.cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return CameraDiagnosticsSchema.parse(await res.json());
}

/** Waits until the newest connection has ended (D1 writes follow the socket events). */
function ended(user: TestUser, serial: string, count = 1): Promise<CameraDiagnostics> {
  return eventually(
    () => diagnostics(user, serial),
    (d) => d.connections.length >= count && d.connections[0]!.reason !== null,
  );
}

describe("device connection history", () => {
  it("says a camera that never connected has no history and no last-online time", async () => {
    const { owner, device } = await ownedCamera();
    const d = await diagnostics(owner, device.serial);
    expect(d).toMatchObject({ online: false, revoked: false, lastOnlineAt: null, connections: [], nat: null, doctor: null });
  });

  it("records a clean stop (the agent closes 1000) with when it connected, ended and was last seen", async () => {
    const { owner, device } = await ownedCamera();
    const before = Date.now();
    const socket = await connect(device);
    const open = await diagnostics(owner, device.serial);
    expect(open.online).toBe(true);
    expect(open.connections).toMatchObject([{ reason: null, endedAt: null }]);
    socket.ws.close(1000, "agent stopping");
    const d = await ended(owner, device.serial);
    expect(d.online).toBe(false);
    const [c] = d.connections;
    expect(c).toMatchObject({ reason: "clean-stop", closeCode: 1000 });
    expect(Date.parse(c!.connectedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(c!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(c!.connectedAt));
    expect(Date.parse(c!.lastSeenAt!)).toBeGreaterThanOrEqual(Date.parse(c!.connectedAt));
    expect(d.lastOnlineAt).not.toBeNull();
  });

  it("records a refused frame as a protocol error (1008)", async () => {
    const { owner, device } = await ownedCamera();
    const socket = await connect(device);
    socket.send("{not json");
    expect((await socket.waitClosed()).code).toBe(1008);
    expect((await ended(owner, device.serial)).connections[0]).toMatchObject({ reason: "protocol-error", closeCode: 1008 });
  });

  it("records the older connection as replaced when a second one with the same serial arrives", async () => {
    const { owner, device } = await ownedCamera();
    const first = await connect(device);
    await connect(device);
    expect((await first.waitClosed()).code).toBe(4000);
    const d = await eventually(() => diagnostics(owner, device.serial), (x) => x.connections.length === 2 && x.connections[1]!.reason !== null);
    expect(d.online).toBe(true);
    expect(d.connections.map((c) => c.reason)).toEqual([null, "replaced"]);
    expect(d.connections[1]!.closeCode).toBe(4000);
  });

  it("records a vendor revocation as token-revoked, and says the camera is revoked", async () => {
    const { owner, device } = await ownedCamera();
    const socket = await connect(device);
    expect((await revokeDevice(device)).status).toBe(200);
    expect((await socket.waitClosed()).code).toBe(4403);
    const d = await ended(owner, device.serial);
    expect(d).toMatchObject({ online: false, revoked: true });
    expect(d.connections[0]).toMatchObject({ reason: "token-revoked", closeCode: 4403 });
  });

  it("records a token-version bump as token-superseded", async () => {
    const { owner, device } = await ownedCamera();
    const socket = await connect(device);
    const res = await postJson(`/api/vendor/devices/${device.serial}/token-version`, {}, { bearer: await vendorApiToken(device.vendor.keys, device.vendor.vendorId) });
    expect(res.status).toBe(200);
    expect((await socket.waitClosed()).code).toBe(4401);
    expect((await ended(owner, device.serial)).connections[0]).toMatchObject({ reason: "token-superseded", closeCode: 4401 });
  });

  it("records a connection the hub noted open but holds no socket for (an edge restart) as edge-restart", async () => {
    const { owner, device } = await ownedCamera();
    // What a restart leaves behind: the D1 row and the hub's note, but no socket.
    const lastSeen = Date.now() - 60_000;
    await env.DB.prepare("INSERT INTO device_connections (id, serial, connected_at, network_tag) VALUES (?, ?, ?, NULL)").bind("c-lost-1", device.serial, lastSeen - 1000).run();
    const stub = env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(device.serial));
    await runInDurableObject(stub, (_hub, state) => {
      state.storage.sql.exec("CREATE TABLE IF NOT EXISTS open_device_conns (id TEXT PRIMARY KEY, connected_at INTEGER NOT NULL, last_seen INTEGER NOT NULL)");
      state.storage.sql.exec("INSERT INTO open_device_conns (id, connected_at, last_seen) VALUES (?, ?, ?)", "c-lost-1", lastSeen - 1000, lastSeen);
    });
    // …and the restart itself: the hub's memory is gone and is rebuilt from storage on wake.
    await evictDurableObject(stub);
    const d = await diagnostics(owner, device.serial);
    expect(d.online).toBe(false);
    expect(d.connections[0]).toMatchObject({ reason: "edge-restart", closeCode: null, lastSeenAt: new Date(lastSeen).toISOString() });
    expect(d.lastOnlineAt).toBe(new Date(lastSeen).toISOString());
  });

  it(`keeps only the newest ${DEVICE_CONNECTIONS_KEPT} connections of a camera`, async () => {
    const { owner, device } = await ownedCamera();
    for (let i = 0; i < DEVICE_CONNECTIONS_KEPT + 2; i++) {
      const s = await connect(device);
      s.ws.close(1000, "agent stopping");
      await s.closed;
    }
    const d = await eventually(() => diagnostics(owner, device.serial), (x) => x.connections.every((c) => c.reason !== null));
    expect(d.connections).toHaveLength(DEVICE_CONNECTIONS_KEPT);
  });

  it("keeps a keyed hash of the camera's address, never the address, and lastNetworkTag returns it", async () => {
    const { device } = await ownedCamera();
    await connect(device);
    const tag = await eventually(() => lastNetworkTag(db(env.DB), device.serial), (t) => t !== null);
    expect(tag).toBe(await networkTag(env, CAMERA_IP));
    const row = await env.DB.prepare("SELECT * FROM device_connections WHERE serial = ?").bind(device.serial).first();
    expect(JSON.stringify(row)).not.toContain(CAMERA_IP);
    expect(await lastNetworkTag(db(env.DB), "NO-SUCH-CAMERA")).toBeNull();
  });
});

describe("GET /api/cameras/:serial/diagnostics", () => {
  it("answers the owner only: a viewer or guest of the camera is forbidden, a stranger has no access", async () => {
    const { owner, device } = await ownedCamera();
    const viewer = await signUp();
    const guest = await signUp();
    expect((await share(owner, device.serial, viewer, "viewer")).status).toBe(201);
    expect((await share(owner, device.serial, guest, "guest")).status).toBe(201);
    for (const u of [viewer, guest]) {
      const res = await api("GET", `/api/cameras/${device.serial}/diagnostics`, { cookie: u.cookie });
      expect(res.status).toBe(403);
    }
    const stranger = await signUp();
    expect((await api("GET", `/api/cameras/${device.serial}/diagnostics`, { cookie: stranger.cookie })).status).toBe(403);
    expect((await api("GET", `/api/cameras/${device.serial}/diagnostics`)).status).toBe(401);
  });

  it("includes the camera's last NAT report with when the edge received it", async () => {
    const { owner, device } = await ownedCamera();
    const socket = await connect(device);
    const nat: NatStatus = { natType: "symmetric", mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", hairpinning: false, udpBlocked: false, rfc5780: true, at: 1_796_600_000_000 };
    socket.send({ type: "status", nat });
    const d = await eventually(() => diagnostics(owner, device.serial), (x) => x.nat !== null);
    expect(d.nat).toMatchObject(nat);
    expect(Number.isNaN(Date.parse(d.nat!.receivedAt))).toBe(false);
  });
});

describe("POST /api/devices/:serial/doctor/report", () => {
  const CHECKS = [
    { id: "dns", status: "pass", title: "DNS", summary: "edge.example resolves to 192.0.2.1." },
    { id: "turn_udp", status: "fail", title: "TURN over UDP", summary: "No answer from turn.example:3478 over UDP." },
    { id: "nat_type", status: "warn", title: "NAT type", summary: "Symmetric NAT." },
  ];

  function upload(device: TestDevice, body: unknown, token: string | null = device.token): Promise<Response> {
    return call(`/api/devices/${device.serial}/doctor/report`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  it("stores the camera's doctor result for its owner's page", async () => {
    const { owner, device } = await ownedCamera();
    const before = Date.now();
    expect((await upload(device, { checks: CHECKS })).status).toBe(204);
    const d = await diagnostics(owner, device.serial);
    expect(d.doctor?.checks).toEqual(CHECKS);
    expect(Date.parse(d.doctor!.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("scrubs the request's own device token from a summary", async () => {
    const { owner, device } = await ownedCamera();
    const leaky = [{ id: "device_token", status: "fail", title: "Device token", summary: `refused ${device.token}` }];
    expect((await upload(device, { checks: leaky })).status).toBe(204);
    const d = await diagnostics(owner, device.serial);
    expect(d.doctor?.checks[0]?.summary).toBe("refused [redacted]");
  });

  it("refuses a caller without a valid device token (401) and a revoked camera (403)", async () => {
    const { device } = await ownedCamera();
    expect((await upload(device, { checks: CHECKS }, null)).status).toBe(401);
    expect((await upload(device, { checks: CHECKS }, "not.a.token")).status).toBe(401);
    await revokeDevice(device);
    expect((await upload(device, { checks: CHECKS })).status).toBe(403);
  });

  it("refuses a body that is not a report, has unknown fields, too many checks or too long a summary (400)", async () => {
    const { device } = await ownedCamera();
    const bad = [
      "not json",
      { checks: [] },
      { checks: CHECKS, token: "x" },
      { checks: Array.from({ length: 25 }, (_, i) => ({ ...CHECKS[0], id: `c${i}` })) },
      { checks: [{ ...CHECKS[0], summary: "x".repeat(301) }] },
      { checks: [{ ...CHECKS[0], status: "ok" }] },
    ];
    for (const body of bad) expect((await upload(device, body)).status, JSON.stringify(body).slice(0, 60)).toBe(400);
  });

  it("refuses a body over the edge's size cap (413)", async () => {
    const { device } = await ownedCamera();
    expect((await upload(device, { checks: CHECKS, pad: "x".repeat(20_000) })).status).toBe(413);
  });
});
