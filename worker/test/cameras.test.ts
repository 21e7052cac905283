// Cameras and sharing end to end in workerd: claiming with the label, the owner's settings,
// rotating the label code, releasing, sharing and revoking (with live sessions cut), the
// session history, and how POST /api/sessions decides between roles and access codes.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Camera, CameraList, ShareList, SessionRecordList } from "../../protocol/index.ts";
import { verifyViewerTicket } from "../src/auth/ticket.ts";
import { ACCESS_CODE_RULES } from "../src/rate-limit.ts";
import { api, claim, requestUserSession, share, signUp, startUserViewer, unshare, type TestUser } from "./support/accounts.ts";
import { connectDevice, requestSession } from "./support/connect.ts";
import { errorOf } from "./support/http.ts";
import { uniqueSerial } from "./support/ids.ts";
import { provisionDevice, revokeDevice, type TestDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

function privateDevice(): Promise<TestDevice> {
  return provisionDevice("ES256", { allowCodeViewing: false });
}

function claimAs(user: TestUser, serial: string, accessCode: string, ip?: string): Promise<Response> {
  return api("POST", "/api/cameras", { cookie: user.cookie, body: { serial, accessCode }, ip });
}

async function myCameras(user: TestUser): Promise<Camera[]> {
  const res = await api("GET", "/api/cameras", { cookie: user.cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as CameraList).cameras;
}

async function owners(serial: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT user_id FROM device_access WHERE serial = ? AND role = 'owner'").bind(serial).all<{ user_id: string }>();
  return results.map((r) => r.user_id);
}

async function auditKinds(serial: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT kind FROM audit_events WHERE serial = ? ORDER BY id").bind(serial).all<{ kind: string }>();
  return results.map((r) => r.kind);
}

describe("claiming a camera", () => {
  it("makes the first claimer with the right code its owner, and lists it with presence and settings", async () => {
    const device = await privateDevice();
    await connectDevice(device);
    const owner = await signUp();
    const camera = await claim(owner, device, "Front door");
    expect(camera).toMatchObject({ serial: device.serial, name: "Front door", role: "owner", online: true, viewers: 0, maxViewers: 3, allowCodeViewing: false });
    expect(await myCameras(owner)).toEqual([{ ...camera, lastSeenAt: expect.any(String) }]);
    expect(await auditKinds(device.serial)).toEqual(["claim"]);
  });

  it("answers already_claimed to a second claim, by someone else or by the owner again", async () => {
    const device = await privateDevice();
    const [owner, other] = [await signUp(), await signUp()];
    await claim(owner, device);
    for (const who of [other, owner]) {
      const res = await claimAs(who, device.serial, device.accessCode);
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe("already_claimed");
    }
    expect(await owners(device.serial)).toEqual([owner.id]);
  });

  it("gives exactly one owner when eight people claim at the same instant", async () => {
    const device = await privateDevice();
    const people = await Promise.all(Array.from({ length: 8 }, () => signUp()));
    const results = await Promise.all(people.map((p, i) => claimAs(p, device.serial, device.accessCode, `192.0.2.${100 + i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = people[results.findIndex((r) => r.status === 201)]!;
    expect(await owners(device.serial)).toEqual([winner.id]);
  });

  it("refuses a wrong code with wrong_access_code, counting toward the access-code limit shared with viewing", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const user = await signUp();
    const ip = "198.51.100.40";
    for (let i = 0; i < ACCESS_CODE_RULES.perClient.limit; i++) {
      const res = await claimAs(user, device.serial, `WRONGCODE${i + 2}`, ip);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("wrong_access_code");
    }
    expect((await claimAs(user, device.serial, device.accessCode, ip)).status).toBe(429);
    const viewing = await requestSession(device.serial, device.accessCode, ip);
    expect(viewing.status).toBe(429);
    expect(Number(viewing.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses a revoked camera with device_revoked and an unknown serial with device_not_found", async () => {
    const device = await privateDevice();
    await revokeDevice(device);
    const user = await signUp();
    const revoked = await claimAs(user, device.serial, device.accessCode);
    expect(revoked.status).toBe(403);
    expect((await errorOf(revoked)).code).toBe("device_revoked");
    const unknown = await claimAs(user, uniqueSerial(), "ABCDEFGHJK");
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe("device_not_found");
  });

  it("upgrades a viewer who claims an unowned camera to owner", async () => {
    const device = await privateDevice();
    const [first, friend] = [await signUp(), await signUp()];
    await claim(first, device);
    expect((await share(first, device.serial, friend, "viewer")).status).toBe(201);
    expect((await api("DELETE", `/api/cameras/${device.serial}`, { cookie: first.cookie })).status).toBe(204);
    expect(await myCameras(friend)).toEqual([]);
    await claim(friend, device);
    expect(await owners(device.serial)).toEqual([friend.id]);
  });
});

describe("the owner's settings", () => {
  it("renames, sets the viewer limit and allows code viewing", async () => {
    const device = await privateDevice();
    await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    expect((await requestSession(device.serial, device.accessCode)).status).toBe(403);

    const res = await api("PATCH", `/api/cameras/${device.serial}`, { cookie: owner.cookie, body: { name: "Garden", maxViewers: 5, allowCodeViewing: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Garden", maxViewers: 5, allowCodeViewing: true, role: "owner" });
    expect((await myCameras(owner))[0]).toMatchObject({ name: "Garden", maxViewers: 5, allowCodeViewing: true });
    expect((await requestSession(device.serial, device.accessCode)).status).toBe(201);
    expect(await auditKinds(device.serial)).toEqual(["claim", "rename"]);
  });

  it.each([[0], [11], [2.5]])("refuses maxViewers %s with bad_request", async (maxViewers) => {
    const device = await privateDevice();
    const owner = await signUp();
    await claim(owner, device);
    const res = await api("PATCH", `/api/cameras/${device.serial}`, { cookie: owner.cookie, body: { maxViewers } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("bad_request");
  });

  it("refuses an empty change with bad_request", async () => {
    const device = await privateDevice();
    const owner = await signUp();
    await claim(owner, device);
    expect((await api("PATCH", `/api/cameras/${device.serial}`, { cookie: owner.cookie, body: {} })).status).toBe(400);
  });

  it("answers no_access for an unknown serial, the same as for someone else's camera", async () => {
    const owner = await signUp();
    for (const serial of [uniqueSerial(), "not a serial!"]) {
      const res = await api("PATCH", `/api/cameras/${encodeURIComponent(serial)}`, { cookie: owner.cookie, body: { name: "x" } });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe("no_access");
    }
  });
});

describe("rotating the access code", () => {
  it("returns a new code once; the old one stops working and the new one works", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const owner = await signUp();
    await claim(owner, device);
    await api("PATCH", `/api/cameras/${device.serial}`, { cookie: owner.cookie, body: { allowCodeViewing: true } });

    const res = await api("POST", `/api/cameras/${device.serial}/access-code`, { cookie: owner.cookie, body: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { accessCode } = (await res.json()) as { accessCode: string };
    expect(accessCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    expect(accessCode).not.toBe(device.accessCode);

    const old = await requestSession(device.serial, device.accessCode, "192.0.2.201");
    expect(old.status).toBe(403);
    expect((await errorOf(old)).code).toBe("wrong_access_code");
    expect((await requestSession(device.serial, accessCode, "192.0.2.202")).status).toBe(201);
    expect(await auditKinds(device.serial)).toEqual(["claim", "settings", "rotate_code"]);
  });
});

describe("releasing a camera", () => {
  it("removes every role, ends every live session and lets the next person claim it with the label", async () => {
    const device = await privateDevice();
    const deviceSocket = await connectDevice(device);
    const [owner, friend, buyer] = [await signUp(), await signUp(), await signUp()];
    await claim(owner, device);
    await api("PATCH", `/api/cameras/${device.serial}`, { cookie: owner.cookie, body: { allowCodeViewing: true, maxViewers: 7 } });
    await share(owner, device.serial, friend, "guest");
    const mine = await startUserViewer(owner, device.serial, deviceSocket);
    const theirs = await startUserViewer(friend, device.serial, deviceSocket);

    const res = await api("DELETE", `/api/cameras/${device.serial}`, { cookie: owner.cookie });
    expect(res.status).toBe(204);

    for (const { viewer } of [mine, theirs]) expect((await viewer.waitClosed()).reason).toMatch(/^access_revoked/);
    expect(await myCameras(owner)).toEqual([]);
    expect(await myCameras(friend)).toEqual([]);
    expect((await requestUserSession(friend, device.serial)).status).toBe(403);
    // Settings go back to private defaults for the next owner.
    const camera = await claim(buyer, device);
    expect(camera).toMatchObject({ role: "owner", allowCodeViewing: false, maxViewers: 3 });
    expect(await auditKinds(device.serial)).toEqual(["claim", "settings", "share", "release", "claim"]);
  });
});

describe("sharing", () => {
  it("shares as viewer or guest; the shared camera shows up with that role; the owner lists everyone, owner first", async () => {
    const device = await privateDevice();
    await connectDevice(device);
    const [owner, viewer, guest] = [await signUp(), await signUp(), await signUp()];
    await claim(owner, device);
    const created = await share(owner, device.serial, viewer, "viewer");
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ userId: viewer.id, email: viewer.email, role: "viewer" });
    expect((await share(owner, device.serial, guest, "guest")).status).toBe(201);

    expect((await myCameras(viewer))[0]).toMatchObject({ serial: device.serial, role: "viewer", online: true });
    expect((await myCameras(guest))[0]).toMatchObject({ serial: device.serial, role: "guest" });
    const list = (await (await api("GET", `/api/cameras/${device.serial}/shares`, { cookie: owner.cookie })).json()) as ShareList;
    expect(list.shares.map((s) => [s.email, s.role])).toEqual([
      [owner.email, "owner"],
      [viewer.email, "viewer"],
      [guest.email, "guest"],
    ]);
  });

  it("hands out grants carrying the person's user id and role", async () => {
    const device = await privateDevice();
    await connectDevice(device);
    const [owner, guest] = [await signUp(), await signUp()];
    await claim(owner, device);
    await share(owner, device.serial, guest, "guest");
    for (const [who, role] of [[owner, "owner"], [guest, "guest"]] as const) {
      const res = await requestUserSession(who, device.serial);
      expect(res.status).toBe(201);
      const { ticket } = (await res.json()) as { ticket: string };
      expect(await verifyViewerTicket(env, ticket, device.serial)).toMatchObject({ userId: who.id, role });
    }
  });

  it("answers user_not_found for an email without an account", async () => {
    const device = await privateDevice();
    const owner = await signUp();
    await claim(owner, device);
    const res = await api("POST", `/api/cameras/${device.serial}/shares`, { cookie: owner.cookie, body: { email: "nobody-here@example.test", role: "viewer" } });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("user_not_found");
  });

  it("refuses to share with yourself (the owner's role cannot change) with forbidden", async () => {
    const device = await privateDevice();
    const owner = await signUp();
    await claim(owner, device);
    const res = await share(owner, device.serial, owner, "guest");
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("forbidden");
    expect(await owners(device.serial)).toEqual([owner.id]);
    const self = await unshare(owner, device.serial, owner.id);
    expect(self.status).toBe(403);
  });

  it("changes a role in place (200) and ends sessions granted under the old role", async () => {
    const device = await privateDevice();
    const deviceSocket = await connectDevice(device);
    const [owner, friend] = [await signUp(), await signUp()];
    await claim(owner, device);
    await share(owner, device.serial, friend, "viewer");
    const { viewer } = await startUserViewer(friend, device.serial, deviceSocket);
    const res = await share(owner, device.serial, friend, "guest");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: "guest" });
    expect((await viewer.waitClosed()).reason).toMatch(/^access_revoked/);
  });

  it("revoking a share ends that person's live session within seconds, and only theirs", async () => {
    const device = await privateDevice();
    const deviceSocket = await connectDevice(device);
    const [owner, friend] = [await signUp(), await signUp()];
    await claim(owner, device);
    await share(owner, device.serial, friend, "viewer");
    const ownerView = await startUserViewer(owner, device.serial, deviceSocket);
    const friendView = await startUserViewer(friend, device.serial, deviceSocket);

    const started = Date.now();
    expect((await unshare(owner, device.serial, friend.id)).status).toBe(204);
    const closed = await friendView.viewer.waitClosed();
    expect(closed.reason).toMatch(/^access_revoked/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ownerView.viewer.isClosed).toBe(false);

    const again = await requestUserSession(friend, device.serial);
    expect(again.status).toBe(403);
    expect((await errorOf(again)).code).toBe("no_access");
    expect(await myCameras(friend)).toEqual([]);
    // Idempotent: a second revoke is still 204.
    expect((await unshare(owner, device.serial, friend.id)).status).toBe(204);
    expect(await auditKinds(device.serial)).toEqual(["claim", "share", "unshare"]);
  });
});

describe("session history", () => {
  it("lists the camera's 50 most recent sessions, newest first, with the viewer's email", async () => {
    const device = await privateDevice();
    const [owner, friend] = [await signUp(), await signUp()];
    await claim(owner, device);
    const base = Date.now() - 3_600_000;
    const insert = env.DB.prepare(
      "INSERT INTO viewer_sessions (session_id, serial, user_id, role, started_at, ended_at, duration_ms, path, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const rows = Array.from({ length: 55 }, (_, i) => {
      const who = i % 3 === 0 ? [null, "code"] : i % 3 === 1 ? [friend.id, "viewer"] : [owner.id, "owner"];
      return insert.bind(`s${String(i).padStart(21, "0")}`, device.serial, who[0], who[1], base + i * 1000, i === 54 ? null : base + i * 1000 + 500, i === 54 ? null : 500, "lan", i === 54 ? null : "bye");
    });
    // Another camera's session must not appear.
    rows.push(insert.bind("x".repeat(22), uniqueSerial(), owner.id, "owner", base + 999_999, null, null, null, null));
    await env.DB.batch(rows);

    const res = await api("GET", `/api/cameras/${device.serial}/sessions`, { cookie: owner.cookie });
    expect(res.status).toBe(200);
    const { sessions } = (await res.json()) as SessionRecordList;
    expect(sessions).toHaveLength(50);
    expect(sessions[0]).toEqual({ sessionId: `s${"54".padStart(21, "0")}`, email: null, role: "code", startedAt: new Date(base + 54_000).toISOString(), endedAt: null, durationMs: null, path: "lan", endReason: null, report: null });
    expect(sessions[1]).toMatchObject({ email: owner.email, role: "owner", durationMs: 500, endReason: "bye" });
    expect(sessions[2]).toMatchObject({ email: friend.email, role: "viewer" });
    const starts = sessions.map((s) => Date.parse(s.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });
});

describe("POST /api/sessions", () => {
  it("refuses the access code with code_viewing_disabled until the owner allows it, before checking the code", async () => {
    const device = await privateDevice();
    await connectDevice(device);
    const wrong = await requestSession(device.serial, "WRONGCODE2");
    expect(wrong.status).toBe(403);
    expect((await errorOf(wrong)).code).toBe("code_viewing_disabled");
  });

  it("lets a signed-in person without a role watch with the code where the owner allows it, as a code viewer", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const stranger = await signUp();
    const res = await api("POST", "/api/sessions", { cookie: stranger.cookie, body: { serial: device.serial, accessCode: device.accessCode } });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: string };
    expect(await verifyViewerTicket(env, ticket, device.serial)).toMatchObject({ userId: null, role: "code" });
  });

  it("answers not_signed_in without a cookie or a code, and device_offline to an owner whose camera is off", async () => {
    const device = await privateDevice();
    const owner = await signUp();
    await claim(owner, device);
    const anonymous = await api("POST", "/api/sessions", { body: { serial: device.serial } });
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe("not_signed_in");
    const offline = await requestUserSession(owner, device.serial);
    expect(offline.status).toBe(409);
    expect((await errorOf(offline)).code).toBe("device_offline");
  });

  it("answers device_revoked to the owner of a revoked camera", async () => {
    const device = await privateDevice();
    const owner = await signUp();
    await claim(owner, device);
    await revokeDevice(device);
    const res = await requestUserSession(owner, device.serial);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("device_revoked");
  });
});
