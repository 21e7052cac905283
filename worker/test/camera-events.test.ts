// The edge's event index (issue 13, item 3) in workerd with the real migrations: a camera's event
// frame becomes one row in camera_events through the real DeviceHub (names and times only),
// GET /api/events lists them across the caller's cameras newest first, paged, only where the
// caller's role has playback, and the index keeps at most its count and age per camera.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { EDGE_EVENTS_KEPT_DAYS, EDGE_EVENTS_KEPT_PER_CAMERA, EDGE_EVENTS_PER_MINUTE, EventsPageSchema, type Camera, type IndexedEvent } from "../../protocol/index.ts";
import { api, claim, share, signUp, type TestUser } from "./support/accounts.ts";
import { connectDevice } from "./support/connect.ts";
import { errorOf } from "./support/http.ts";
import { provisionDevice, type TestDevice } from "./support/provision.ts";
import { closeAllSockets, type TestSocket } from "./support/test-socket.ts";
import { eventually } from "./support/wait.ts";

afterEach(closeAllSockets);

const DAY = 86_400_000;

function sendEvent(socket: TestSocket, id: string, startedAt = new Date()): void {
  socket.send({ type: "event", event: { id, kind: "motion", startedAt: startedAt.toISOString() } });
}

async function rowsOf(serial: string): Promise<Record<string, unknown>[]> {
  const { results } = await env.DB.prepare("SELECT * FROM camera_events WHERE serial = ? ORDER BY started_at DESC").bind(serial).all();
  return results;
}

async function countOf(serial: string): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM camera_events WHERE serial = ?").bind(serial).first<number>("n")) ?? 0;
}

/** Rows straight into D1: `n` events one second apart, the newest at `newest`. */
async function seed(serial: string, n: number, newest: number, opts: { receivedAt?: number; prefix?: string } = {}): Promise<void> {
  const receivedAt = opts.receivedAt ?? Date.now();
  await env.DB.prepare(
    `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?)
     INSERT INTO camera_events (serial, id, kind, started_at, received_at) SELECT ?, ? || i, 'motion', ? - i * 1000, ? FROM k`,
  )
    .bind(n, serial, opts.prefix ?? "seed-", newest, receivedAt)
    .run();
}

async function listEvents(user: TestUser, query = ""): Promise<{ events: IndexedEvent[]; more: boolean }> {
  const res = await api("GET", `/api/events${query}`, { cookie: user.cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return EventsPageSchema.parse(await res.json());
}

async function ownedCamera(owner: TestUser, name: string): Promise<TestDevice> {
  const device = await provisionDevice("ES256");
  await claim(owner, device, name);
  return device;
}

describe("recording a camera's events", () => {
  it("keeps one row per event frame with the serial, id, kind and times only, and ignores a repeated id", async () => {
    const owner = await signUp();
    const device = await ownedCamera(owner, "Porch");
    const socket = await connectDevice(device);
    const started = new Date(Date.now() - 3000);
    const before = Date.now();
    sendEvent(socket, "ev-porch-1", started);
    sendEvent(socket, "ev-porch-1", started);
    const rows = await eventually(() => rowsOf(device.serial), (r) => r.length === 1);
    // No picture and nothing else: exactly these five columns.
    expect(rows[0]).toStrictEqual({ serial: device.serial, id: "ev-porch-1", kind: "motion", started_at: started.getTime(), received_at: expect.any(Number) });
    expect(rows[0]!.received_at as number).toBeGreaterThanOrEqual(before);
    // The repeat was written too (idempotent), not a second row.
    await new Promise((r) => setTimeout(r, 100));
    expect(await countOf(device.serial)).toBe(1);
  });

  it("takes at most EDGE_EVENTS_PER_MINUTE events a minute from one camera and drops the rest", async () => {
    const owner = await signUp();
    const device = await ownedCamera(owner, "Windy tree");
    const socket = await connectDevice(device);
    for (let i = 0; i < EDGE_EVENTS_PER_MINUTE + 10; i++) sendEvent(socket, `ev-tree-${i}`);
    await eventually(() => countOf(device.serial), (n) => n === EDGE_EVENTS_PER_MINUTE);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countOf(device.serial)).toBe(EDGE_EVENTS_PER_MINUTE);
  });

  it("prunes the camera's rows past the count and older than the kept days on the hub's first event", async () => {
    const owner = await signUp();
    const device = await ownedCamera(owner, "Garage");
    const now = Date.now();
    await seed(device.serial, EDGE_EVENTS_KEPT_PER_CAMERA + 5, now - 60_000);
    await seed(device.serial, 3, now - (EDGE_EVENTS_KEPT_DAYS + 1) * DAY, { receivedAt: now - (EDGE_EVENTS_KEPT_DAYS + 1) * DAY, prefix: "old-" });
    const socket = await connectDevice(device);
    sendEvent(socket, "ev-garage-new");
    const n = await eventually(() => countOf(device.serial), (c) => c === EDGE_EVENTS_KEPT_PER_CAMERA);
    expect(n).toBe(EDGE_EVENTS_KEPT_PER_CAMERA);
    const oldest = await env.DB.prepare("SELECT min(received_at) AS at FROM camera_events WHERE serial = ?").bind(device.serial).first<number>("at");
    expect(oldest!).toBeGreaterThan(now - EDGE_EVENTS_KEPT_DAYS * DAY);
    // The newest stay: the new event and the newest seeded ones.
    const ids = (await rowsOf(device.serial)).map((r) => r.id);
    expect(ids.slice(0, 2)).toEqual(["ev-garage-new", "seed-0"]);
    expect(ids).not.toContain(`seed-${EDGE_EVENTS_KEPT_PER_CAMERA}`);
  });
});

describe("GET /api/events", () => {
  it("lists the events of every camera the person may play back, newest first, names and times only", async () => {
    const owner = await signUp();
    const porch = await ownedCamera(owner, "Porch");
    const yard = await ownedCamera(owner, "Yard");
    const now = Date.now();
    await seed(porch.serial, 2, now - 1000, { prefix: "porch-" });
    await seed(yard.serial, 2, now - 1500, { prefix: "yard-" });
    const page = await listEvents(owner);
    expect(page.more).toBe(false);
    expect(page.events.map((e) => e.id)).toEqual(["porch-0", "yard-0", "porch-1", "yard-1"]);
    expect(Object.keys(page.events[0]!).sort()).toEqual(["id", "kind", "serial", "startedAt"]);
    expect(page.events[0]).toEqual({ serial: porch.serial, id: "porch-0", kind: "motion", startedAt: now - 1000 });
    // One camera only.
    expect((await listEvents(owner, `?serial=${yard.serial}`)).events.map((e) => e.id)).toEqual(["yard-0", "yard-1"]);
  });

  it("shows a shared viewer the camera's events, a guest (no playback) none, and someone else none of them", async () => {
    const owner = await signUp();
    const viewer = await signUp();
    const guest = await signUp();
    const stranger = await signUp();
    const porch = await ownedCamera(owner, "Porch");
    const strangersOwn = await ownedCamera(stranger, "Stranger's");
    await seed(porch.serial, 3, Date.now() - 1000, { prefix: "porch-" });
    await seed(strangersOwn.serial, 1, Date.now() - 500, { prefix: "theirs-" });
    expect((await share(owner, porch.serial, viewer, "viewer")).status).toBe(201);
    expect((await share(owner, porch.serial, guest, "guest")).status).toBe(201);

    expect((await listEvents(viewer)).events.map((e) => e.id)).toEqual(["porch-0", "porch-1", "porch-2"]);
    expect((await listEvents(guest)).events).toEqual([]);
    expect((await listEvents(guest, `?serial=${porch.serial}`)).events).toEqual([]);
    expect((await listEvents(stranger)).events.map((e) => e.id)).toEqual(["theirs-0"]);
    expect((await listEvents(stranger, `?serial=${porch.serial}`)).events).toEqual([]);
    expect((await listEvents(owner)).events.map((e) => e.serial)).not.toContain(strangersOwn.serial);
  });

  it("pages by `before` through every event once, in order, with more until the last page", async () => {
    const owner = await signUp();
    const a = await ownedCamera(owner, "A");
    const b = await ownedCamera(owner, "B");
    const now = Date.now();
    await seed(a.serial, 7, now - 1000, { prefix: "a-" });
    // b's events start in the same milliseconds as a's: ties across cameras at page ends.
    await seed(b.serial, 6, now - 1000, { prefix: "b-" });
    const seen: IndexedEvent[] = [];
    let query = "?limit=4";
    let pages = 0;
    for (;;) {
      const page = await listEvents(owner, query);
      pages += 1;
      expect(page.events.length).toBeLessThanOrEqual(4);
      seen.push(...page.events);
      if (!page.more) break;
      query = `?limit=4&before=${page.events.at(-1)!.startedAt}`;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toHaveLength(13);
    expect(new Set(seen.map((e) => `${e.serial}/${e.id}`)).size).toBe(13);
    const times = seen.map((e) => e.startedAt);
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it("leaves out events past the kept days even before they are pruned, and events from before the owner claimed the camera", async () => {
    const owner = await signUp();
    const device = await provisionDevice("ES256");
    const now = Date.now();
    await seed(device.serial, 2, now - 5000, { prefix: "before-claim-", receivedAt: now - 5000 });
    await claim(owner, device, "Second-hand");
    await seed(device.serial, 1, now - 2 * DAY, { prefix: "recent-" });
    await env.DB.prepare("UPDATE camera_events SET received_at = ? WHERE serial = ? AND id = 'before-claim-1'").bind(now - (EDGE_EVENTS_KEPT_DAYS + 1) * DAY, device.serial).run();
    expect((await listEvents(owner)).events.map((e) => e.id)).toEqual(["recent-0"]);
  });

  it("forgets a released camera's events, so its next owner starts without them", async () => {
    const first = await signUp();
    const device = await ownedCamera(first, "Sold");
    await seed(device.serial, 2, Date.now() - 1000);
    expect((await api("DELETE", `/api/cameras/${device.serial}`, { cookie: first.cookie })).status).toBe(204);
    expect(await countOf(device.serial)).toBe(0);
  });

  it("refuses bad paging parameters with 400 bad_request", async () => {
    const owner = await signUp();
    for (const q of ["?limit=0", "?limit=101", "?limit=abc", "?limit=1e2", "?before=-5", "?before=soon", "?serial=not a serial", "?picture=1"]) {
      const res = await api("GET", `/api/events${q}`, { cookie: owner.cookie });
      expect(res.status, q).toBe(400);
      expect((await errorOf(res)).code, q).toBe("bad_request");
    }
  });

  it("answers 401 to someone not signed in", async () => {
    const res = await api("GET", "/api/events");
    expect(res.status).toBe(401);
  });
});

describe("the camera list's latest event", () => {
  it("says when the camera's latest event started to those with playback, and nothing to a guest", async () => {
    const owner = await signUp();
    const guest = await signUp();
    const porch = await ownedCamera(owner, "Porch");
    const quiet = await ownedCamera(owner, "Quiet");
    const newest = Date.now() - 60_000;
    await seed(porch.serial, 3, newest);
    expect((await share(owner, porch.serial, guest, "guest")).status).toBe(201);
    const cameras = async (u: TestUser) => ((await (await api("GET", "/api/cameras", { cookie: u.cookie })).json()) as { cameras: Camera[] }).cameras;
    const mine = await cameras(owner);
    expect(mine.find((c) => c.serial === porch.serial)?.lastEventAt).toBe(newest);
    expect(mine.find((c) => c.serial === quiet.serial)).not.toHaveProperty("lastEventAt");
    expect((await cameras(guest)).find((c) => c.serial === porch.serial)).not.toHaveProperty("lastEventAt");
  });
});
