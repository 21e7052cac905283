// TURN REST credentials (draft-uberti-behave-turn-rest) minted inside workerd with WebCrypto,
// checked against node:crypto's HMAC the way coturn checks them, plus region choice by cf.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { deviceStunUrls, iceServersWithTurn, mintSessionTurn, mintTurnCredential, parseTurnRegions, pickRegions, requesterLocation, TURN_CREDENTIAL_TTL_SECONDS, turnConfig, type TurnRegion } from "../src/turn/index.ts";
import { connectDevice, openViewer, ticketFor, VIEWER_HELLO } from "./support/connect.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

const region = (id: string, extra: Partial<TurnRegion> = {}): TurnRegion => ({
  id,
  urls: [`stun:${id}.turn.test:3478`, `turn:${id}.turn.test:3478?transport=udp`, `turn:${id}.turn.test:3478?transport=tcp`, `turns:${id}.turn.test:443?transport=tcp`],
  ...extra,
});

const REGIONS: TurnRegion[] = [
  region("fra", { continent: "EU", country: "DE", lat: 50.11, lon: 8.68 }),
  region("iad", { continent: "NA", country: "US", lat: 38.95, lon: -77.45 }),
  region("sjc", { continent: "NA", country: "US", lat: 37.36, lon: -121.93 }),
  region("syd", { continent: "OC", country: "AU", lat: -33.87, lon: 151.21 }),
];

describe("TURN REST credentials", () => {
  it("mints a credential coturn accepts: base64(HMAC-SHA1(secret, username))", async () => {
    const secret = "s3cret-shared-with-coturn";
    const cred = await mintTurnCredential(secret, "SESSION-abc_123", Date.now());
    const expected = createHmac("sha1", secret).update(cred.username).digest("base64");
    expect(cred.credential).toBe(expected);
    expect(cred.username).toBe(`${cred.expiresAt}:SESSION-abc_123`);
  });

  it("puts the expiry in the username, in the future and short (10 minutes)", async () => {
    const now = Date.now();
    const cred = await mintTurnCredential("k", "SESSION-1", now);
    const expiry = Number(cred.username.split(":")[0]);
    expect(expiry).toBe(cred.expiresAt);
    expect(expiry - now / 1000).toBeGreaterThan(TURN_CREDENTIAL_TTL_SECONDS - 2);
    expect(expiry - now / 1000).toBeLessThanOrEqual(TURN_CREDENTIAL_TTL_SECONDS);
    expect(TURN_CREDENTIAL_TTL_SECONDS).toBeLessThanOrEqual(900);
  });

  it("gives the viewer and the camera different usernames for the same session, both verifiable", async () => {
    const config = { secret: "k2", regions: REGIONS };
    const turn = await mintSessionTurn(config, "SESSION-2", { viewer: {}, device: {} }, Date.now());
    expect(turn.viewer.username).toMatch(/^\d+:SESSION-2$/);
    expect(turn.device.username).toMatch(/^\d+:SESSION-2\.cam$/);
    for (const side of [turn.viewer, turn.device]) {
      expect(side.credential).toBe(createHmac("sha1", "k2").update(side.username).digest("base64"));
    }
  });
});

describe("TURN region choice from request.cf", () => {
  it("picks the nearest region by coordinates, with the next nearest as fallback", () => {
    const paris = requesterLocation({ continent: "EU", country: "FR", latitude: "48.86", longitude: "2.35" });
    expect(pickRegions(REGIONS, paris).map((r) => r.id)).toEqual(["fra", "iad"]);
    const seattle = requesterLocation({ continent: "NA", country: "US", latitude: "47.61", longitude: "-122.33" });
    expect(pickRegions(REGIONS, seattle).map((r) => r.id)).toEqual(["sjc", "iad"]);
    const auckland = requesterLocation({ continent: "OC", country: "NZ", latitude: "-36.85", longitude: "174.76" });
    expect(pickRegions(REGIONS, auckland).map((r) => r.id)).toEqual(["syd", "sjc"]);
  });

  it("falls back to country, then continent, when cf has no coordinates", () => {
    expect(pickRegions(REGIONS, { country: "AU", continent: "OC" }).map((r) => r.id)).toEqual(["syd", "fra"]);
    expect(pickRegions(REGIONS, { continent: "NA" }).map((r) => r.id)).toEqual(["iad", "sjc"]);
  });

  it("hands out the first two configured regions when the location is unknown, never more than two", () => {
    expect(pickRegions(REGIONS, requesterLocation(undefined)).map((r) => r.id)).toEqual(["fra", "iad"]);
    expect(pickRegions(REGIONS, {}, 10).length).toBe(4);
    expect(pickRegions([region("one")], { continent: "EU" }).map((r) => r.id)).toEqual(["one"]);
  });

  it("builds one ICE server per region with the session's credential, TURN first, then the static list", () => {
    const servers = iceServersWithTurn([{ urls: "stun:static.test:3478" }], REGIONS, { username: "1:S", credential: "c", regions: ["syd", "fra"] });
    expect(servers).toEqual([
      { urls: REGIONS[3]!.urls, username: "1:S", credential: "c" },
      { urls: REGIONS[0]!.urls, username: "1:S", credential: "c" },
      { urls: "stun:static.test:3478" },
    ]);
    expect(iceServersWithTurn([{ urls: "stun:a" }], REGIONS, undefined)).toEqual([{ urls: "stun:a" }]);
  });
});

describe("TURN configuration", () => {
  it("is off unless both TURN_SECRET and TURN_REGIONS are set", () => {
    expect(turnConfig({})).toBeUndefined();
    expect(turnConfig({ TURN_SECRET: "k" })).toBeUndefined();
    expect(turnConfig({ TURN_SECRET: "k", TURN_REGIONS: "[]" })).toBeUndefined();
    expect(turnConfig({ TURN_REGIONS: JSON.stringify(REGIONS) })).toBeUndefined();
    expect(turnConfig({ TURN_SECRET: "k", TURN_REGIONS: JSON.stringify(REGIONS) })?.regions.length).toBe(4);
  });

  it("refuses a malformed TURN_REGIONS loudly", () => {
    expect(() => parseTurnRegions("{")).toThrow(/not valid JSON/);
    expect(() => parseTurnRegions(JSON.stringify([{ id: "x", urls: ["http://nope"] }]))).toThrow(/TURN_REGIONS is invalid/);
  });

  it("hands out no TURN server when the edge has none configured: only ICE_SERVERS", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { ticket } = await ticketFor(device);
    const viewer = await openViewer(device.serial, ticket);
    viewer.send(VIEWER_HELLO);
    const welcome = await viewer.expectMessage("welcome");
    const start = await deviceSocket.expectMessage("session-start");
    // The static list from ICE_SERVERS only (TURN_REGIONS is "[]" in wrangler.toml, no TURN_SECRET).
    expect(welcome.iceServers).toEqual([{ urls: "stun:stun.test.invalid:3478" }]);
    expect(start.iceServers).toEqual([{ urls: "stun:stun.test.invalid:3478" }]);
  });
});

describe("STUN for the camera's NAT discovery (welcome.stun)", () => {
  it("lists the camera's nearest regions' stun: URLs first, then ICE_SERVERS' ones, with no TURN URL and no credential", () => {
    const urls = deviceStunUrls([{ urls: "stun:static.test:3478" }, { urls: "turn:static.test:3478", username: "u", credential: "c" }], REGIONS, { continent: "EU", country: "DE" });
    expect(urls[0]).toMatch(/^stun:.*fra/);
    expect(urls).toHaveLength(3);
    expect(urls[2]).toBe("stun:static.test:3478");
    expect(urls.every((u) => u.startsWith("stun:"))).toBe(true);
  });

  it("is empty when the deployment has no STUN server", () => {
    expect(deviceStunUrls([], [], {})).toEqual([]);
  });
});

describe("TURN in the hub's welcome and session-start", () => {
  it("gives the viewer its own credential and regions, and the camera its own", async () => {
    const { handleHubEvent } = await import("../src/hub/hub.ts");
    const { PROTOCOL_VERSION } = await import("../../protocol/index.ts");
    const turn = await mintSessionTurn({ secret: "k3", regions: REGIONS }, "SESSION-3", { viewer: { country: "AU", continent: "OC" }, device: { continent: "EU" } }, Date.now());
    const device = { role: "device" as const, id: "d1", serial: "CAM-TURN-1", phase: "ready" as const, connectedAt: 0 };
    const viewer = {
      role: "viewer" as const, id: "v1", serial: "CAM-TURN-1", phase: "awaiting-hello" as const, connectedAt: 0,
      sessionId: "SESSION-3", userId: null, sessionRole: "code" as const, grant: "g", turn,
    };
    const state = { serial: "CAM-TURN-1", conns: [device, viewer], iceServers: [{ urls: "stun:static.test:3478" }], turnRegions: REGIONS, heartbeatSeconds: 30, now: 0 };
    const effects = handleHubEvent(state, { type: "viewer-message", conn: viewer, frame: JSON.stringify({ type: "hello", v: PROTOCOL_VERSION }) });
    const sent = effects.flatMap((e) => (e.type === "send" ? [{ to: e.to, message: e.message as { type: string; iceServers?: Array<{ urls: unknown; username?: string }> } }] : []));
    const welcome = sent.find((s) => s.to === "v1" && s.message.type === "welcome")!.message;
    const start = sent.find((s) => s.to === "d1" && s.message.type === "session-start")!.message;
    expect(welcome.iceServers!.map((s) => s.urls)).toEqual([REGIONS[3]!.urls, REGIONS[0]!.urls, "stun:static.test:3478"]);
    expect(welcome.iceServers![0]!.username).toBe(turn.viewer.username);
    expect(start.iceServers!.map((s) => s.urls)).toEqual([REGIONS[0]!.urls, REGIONS[1]!.urls, "stun:static.test:3478"]);
    expect(start.iceServers![0]!.username).toBe(turn.device.username);
  });
});
