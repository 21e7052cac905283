// Viewer sessions end to end inside workerd: access code → ticket → /ws/view socket → relay
// through the serial's DeviceHub to a connected device socket.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_SIGNALING_FRAME_BYTES, PROTOCOL_VERSION, VIEWER_TICKET_TTL_SECONDS } from "../../protocol/index.ts";
import { mintViewerTicket } from "../src/auth/ticket.ts";
import { ACCESS_CODE_RULES } from "../src/rate-limit.ts";
import { connectDevice, openViewer, requestSession, startViewer, ticketFor, VIEWER_HELLO } from "./support/connect.ts";
import { errorOf, postJson } from "./support/http.ts";
import { uniqueSerial } from "./support/ids.ts";
import { provisionDevice, revokeDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

const SDP = "v=0\r\no=- 7 7 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
const candidate = (port: number) => ({ candidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host`, sdpMid: "0", sdpMLineIndex: 0 });

afterEach(closeAllSockets);

describe("POST /api/sessions", () => {
  it("issues a single-use ticket for the right access code while the camera is online", async () => {
    const device = await provisionDevice();
    await connectDevice(device);

    const before = Date.now();
    const res = await requestSession(device.serial, device.accessCode);

    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({
      sessionId: expect.any(String),
      ticket: expect.any(String),
      expiresAt: expect.any(String),
      wsPath: `/ws/view/${device.serial}`,
      reportToken: expect.any(String),
      cameraNat: null,
    });
    const ttl = (Date.parse(body.expiresAt!) - before) / 1000;
    expect(ttl).toBeGreaterThan(VIEWER_TICKET_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(VIEWER_TICKET_TTL_SECONDS + 1);
  });

  it("accepts the access code typed in lower case with spaces and dashes", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const typed = `${device.accessCode.slice(0, 5).toLowerCase()} - ${device.accessCode.slice(5).toLowerCase()}`;
    expect((await requestSession(device.serial, typed)).status).toBe(201);
  });

  it("answers device_not_found (404) for a serial nobody provisioned", async () => {
    const res = await requestSession(uniqueSerial(), "ABCDEFGHJK");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("device_not_found");
  });

  it("answers wrong_access_code (403) for a wrong code", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const res = await requestSession(device.serial, "WRONGCODE2");
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("wrong_access_code");
  });

  it("rate limits a client after repeated wrong codes with 429 and retry-after, even for the right code", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const ip = "198.51.100.7";
    for (let i = 0; i < ACCESS_CODE_RULES.perClient.limit; i++) {
      expect((await requestSession(device.serial, `WRONGCODE${i + 2}`, ip)).status).toBe(403);
    }

    const res = await requestSession(device.serial, device.accessCode, ip);

    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(ACCESS_CODE_RULES.perClient.windowMs / 1000);
    const error = await errorOf(res);
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(retryAfter);
  });

  it("keeps serving other clients while one client is rate limited", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    for (let i = 0; i < ACCESS_CODE_RULES.perClient.limit; i++) await requestSession(device.serial, "WRONGCODE9", "198.51.100.8");
    expect((await requestSession(device.serial, device.accessCode, "198.51.100.8")).status).toBe(429);
    expect((await requestSession(device.serial, device.accessCode, "198.51.100.9")).status).toBe(201);
  });

  it("answers device_offline (409) when the code is right but the camera is not connected", async () => {
    const device = await provisionDevice();
    const res = await requestSession(device.serial, device.accessCode);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe("device_offline");
  });

  it("answers device_revoked (403) for a revoked camera", async () => {
    const device = await provisionDevice();
    await revokeDevice(device);
    const res = await requestSession(device.serial, device.accessCode);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("device_revoked");
  });

  it("answers bad_request (400) for a body that is not JSON or misses fields", async () => {
    const notJson = await postJson("/api/sessions", "{nope");
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe("bad_request");
    // accessCode became optional (signed-in viewers send only the serial); serial is required.
    const missing = await postJson("/api/sessions", { accessCode: "ABCDEFGHJK" });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toMatch(/serial/);
  });
});

describe("viewer socket", () => {
  it("welcomes a viewer's hello with its session id and ICE servers, and starts the session on the device", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { ticket, sessionId } = await ticketFor(device);
    const viewer = await openViewer(device.serial, ticket);

    viewer.send(VIEWER_HELLO);

    expect(await viewer.expectMessage("welcome")).toEqual({
      type: "welcome",
      v: PROTOCOL_VERSION,
      sessionId,
      serial: device.serial,
      iceServers: [{ urls: "stun:stun.test.invalid:3478" }],
      // Resumes the session on a new socket if this one drops (hub/grace.ts).
      resumeToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(await deviceSocket.expectMessage("session-start")).toEqual({
      type: "session-start",
      sessionId,
      iceServers: [{ urls: "stun:stun.test.invalid:3478" }],
      // The viewer's grant JWT, which the agent verifies with the edge key before answering.
      grant: expect.any(String),
    });
  });

  it("relays offer, answer and candidates between the device and the viewer of one session", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await startViewer(device, deviceSocket);

    deviceSocket.send({ type: "offer", sessionId, sdp: SDP });
    expect(await viewer.expectMessage("offer")).toEqual({ type: "offer", sdp: SDP });
    deviceSocket.send({ type: "candidate", sessionId, candidate: candidate(50000) });
    expect(await viewer.expectMessage("candidate")).toEqual({ type: "candidate", candidate: candidate(50000) });

    viewer.send({ type: "answer", sdp: SDP });
    expect(await deviceSocket.expectMessage("answer")).toEqual({ type: "answer", sessionId, sdp: SDP });
    viewer.send({ type: "candidate", candidate: candidate(50001) });
    expect(await deviceSocket.expectMessage("candidate")).toEqual({ type: "candidate", sessionId, candidate: candidate(50001) });
  });

  it("keeps two simultaneous viewers apart: each gets only its own session's messages", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const a = await startViewer(device, deviceSocket);
    const b = await startViewer(device, deviceSocket);
    expect(a.sessionId).not.toBe(b.sessionId);

    deviceSocket.send({ type: "offer", sessionId: b.sessionId, sdp: `${SDP}a=b\r\n` });
    deviceSocket.send({ type: "offer", sessionId: a.sessionId, sdp: `${SDP}a=a\r\n` });
    expect((await b.viewer.expectMessage("offer")).sdp).toBe(`${SDP}a=b\r\n`);
    expect((await a.viewer.expectMessage("offer")).sdp).toBe(`${SDP}a=a\r\n`);

    b.viewer.send({ type: "answer", sdp: SDP });
    expect((await deviceSocket.expectMessage("answer")).sessionId).toBe(b.sessionId);
    a.viewer.send({ type: "candidate", candidate: candidate(1) });
    expect((await deviceSocket.expectMessage("candidate")).sessionId).toBe(a.sessionId);

    await a.viewer.expectSilence();
    await b.viewer.expectSilence();
  });

  it("tells the device when a viewer says bye, and the viewer's socket closes normally", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await startViewer(device, deviceSocket);

    viewer.send({ type: "bye", reason: "user left" });

    expect(await deviceSocket.expectMessage("session-end")).toEqual({ type: "session-end", sessionId, reason: "user left" });
    expect((await viewer.waitClosed()).code).toBe(1000);
  });

  it("keeps the session on the device when a viewer's socket simply closes (it may resume)", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer } = await startViewer(device, deviceSocket);

    viewer.close(1001, "going away");

    await deviceSocket.expectSilence();
  });

  it("ends a viewer's session when the device says bye for it", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await startViewer(device, deviceSocket);

    deviceSocket.send({ type: "bye", sessionId, reason: "ICE failed" });

    expect(await viewer.expectMessage("session-end")).toEqual({ type: "session-end", reason: "ICE failed" });
    expect(await viewer.waitClosed()).toEqual({ code: 1000, reason: "session_ended" });
  });

  it("keeps viewers while the device's socket is away, and cuts them with device_offline (4409) when it does not come back", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer } = await startViewer(device, deviceSocket);

    deviceSocket.close(1001, "rebooting");
    await viewer.expectSilence();

    // The wait runs out (the alarm sees its deadline passed).
    const stub = env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(device.serial));
    await runInDurableObject(stub, (_hub, state) => {
      state.storage.sql.exec("UPDATE hub_flags SET value = ? WHERE name = 'device_away_until'", Date.now() - 1);
    });
    // The hub keeps its state in memory and rebuilds it from storage only when it wakes.
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    expect((await viewer.expectMessage("error")).code).toBe("device_offline");
    expect(await viewer.waitClosed()).toEqual({ code: 4409, reason: "device_offline" });
  });

  it("answers the device with an error, without closing it, for a session that has no viewer", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);

    deviceSocket.send({ type: "offer", sessionId: "S-NOBODY-0001", sdp: SDP });

    expect(await deviceSocket.expectMessage("error")).toMatchObject({ code: "session_ended", sessionId: "S-NOBODY-0001" });
    const { viewer, sessionId } = await startViewer(device, deviceSocket);
    deviceSocket.send({ type: "offer", sessionId, sdp: SDP });
    expect((await viewer.expectMessage("offer")).sdp).toBe(SDP);
  });
});

describe("viewer tickets", () => {
  it("refuses a ticket used a second time with ticket_invalid (4401)", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { ticket } = await ticketFor(device);
    const first = await openViewer(device.serial, ticket);
    first.send(VIEWER_HELLO);
    await first.expectMessage("welcome");

    const second = await openViewer(device.serial, ticket);

    expect((await second.expectMessage("error")).code).toBe("ticket_invalid");
    expect(await second.waitClosed()).toEqual({ code: 4401, reason: "ticket_invalid" });
    // The first session is not disturbed, and the device heard of one session only.
    expect((await deviceSocket.expectMessage("session-start")).type).toBe("session-start");
    await deviceSocket.expectSilence();
    expect(first.isClosed).toBe(false);
  });

  it("refuses a ticket issued for another camera", async () => {
    const a = await provisionDevice();
    const b = await provisionDevice();
    await connectDevice(a);
    const bSocket = await connectDevice(b);
    const { ticket } = await ticketFor(a);

    const viewer = await openViewer(b.serial, ticket);

    expect((await viewer.expectMessage("error")).code).toBe("ticket_invalid");
    expect((await viewer.waitClosed()).code).toBe(4401);
    await bSocket.expectSilence();
  });

  it("refuses a viewer socket without a ticket or with a forged one", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    for (const ticket of ["", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."]) {
      const viewer = await openViewer(device.serial, ticket);
      expect((await viewer.expectMessage("error")).code).toBe("ticket_invalid");
      expect((await viewer.waitClosed()).code).toBe(4401);
    }
  });

  it("refuses an expired ticket", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { ticket } = await mintViewerTicket(env, device.serial, "S-EXPIRED-0001", { userId: null, role: "code" }, Math.floor(Date.now() / 1000) - 3600);

    const viewer = await openViewer(device.serial, ticket);

    expect((await viewer.expectMessage("error")).code).toBe("ticket_invalid");
    expect((await viewer.waitClosed()).code).toBe(4401);
  });

  it("refuses a viewer with device_revoked when the camera was revoked after the ticket was issued", async () => {
    const device = await provisionDevice();
    await connectDevice(device);
    const { ticket } = await ticketFor(device);
    await revokeDevice(device);

    const viewer = await openViewer(device.serial, ticket);

    expect((await viewer.expectMessage("error")).code).toBe("device_revoked");
    expect((await viewer.waitClosed()).code).toBe(4403);
  });

  it("refuses a viewer with device_offline when the camera left after the ticket was issued", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { ticket } = await ticketFor(device);
    deviceSocket.close();
    await deviceSocket.waitClosed();

    const viewer = await openViewer(device.serial, ticket);

    expect((await viewer.expectMessage("error")).code).toBe("device_offline");
    expect((await viewer.waitClosed()).code).toBe(4409);
  });
});

describe("bad viewer frames", () => {
  it("closes a viewer that sends a malformed frame with 1008, while another viewer's session keeps relaying", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const bad = await startViewer(device, deviceSocket);
    const good = await startViewer(device, deviceSocket);

    bad.viewer.send("{this is not json");

    const closed = await bad.viewer.waitClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^malformed_message/);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId: bad.sessionId });
    good.viewer.send({ type: "answer", sdp: SDP });
    expect(await deviceSocket.expectMessage("answer")).toEqual({ type: "answer", sessionId: good.sessionId, sdp: SDP });
    deviceSocket.send({ type: "offer", sessionId: good.sessionId, sdp: SDP });
    expect((await good.viewer.expectMessage("offer")).sdp).toBe(SDP);
  });

  it("closes a viewer that sends an oversized frame with 1009, while another viewer's session keeps relaying", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const bad = await startViewer(device, deviceSocket);
    const good = await startViewer(device, deviceSocket);

    bad.viewer.send(JSON.stringify({ type: "answer", sdp: "x".repeat(MAX_SIGNALING_FRAME_BYTES) }));

    const closed = await bad.viewer.waitClosed();
    expect(closed.code).toBe(1009);
    expect(closed.reason).toMatch(/^message_too_large/);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId: bad.sessionId });
    good.viewer.send({ type: "candidate", candidate: candidate(4242) });
    expect(await deviceSocket.expectMessage("candidate")).toEqual({ type: "candidate", sessionId: good.sessionId, candidate: candidate(4242) });
    deviceSocket.send({ type: "candidate", sessionId: good.sessionId, candidate: candidate(4343) });
    expect((await good.viewer.expectMessage("candidate")).candidate).toEqual(candidate(4343));
  });

  it("closes a viewer that sends a binary frame with 1008", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer } = await startViewer(device, deviceSocket);

    viewer.ws.send(new Uint8Array([1, 2, 3]));

    const closed = await viewer.waitClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^malformed_message: binary/);
  });
});
