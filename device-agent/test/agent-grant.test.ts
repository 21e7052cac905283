// The agent against a fake edge: a session-start whose grant does not verify gets a bye with
// grant_invalid and no offer (no peer connection is made); a valid one gets an offer.
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { EDGE_ISSUER, PROTOCOL_VERSION, VIEWER_TICKET_AUDIENCE } from "../../protocol/index.ts";
import { createAgent, type Agent } from "../src/agent.ts";
import { silentLogger } from "../src/log.ts";
import type { MediaSource } from "../src/media/source.ts";
import { verifyGrant } from "../src/grant/verify-grant.ts";

const SERIAL = "CAM-AGENT-GRANT";
let edgeKey: { privateKey: CryptoKey; publicKey: CryptoKey };

beforeAll(async () => {
  edgeKey = await generateKeyPair("ES256");
});

/** A source that produces nothing: these tests stop before media matters. */
const idleSource: MediaSource = {
  description: "idle",
  videoCodecs: ["VP8"],
  audio: false,
  start: async () => {},
  stop: async () => {},
  onFatal: () => () => {},
  onPacket: () => () => {},
};

function grant(sessionId: string, extra: JWTPayload = {}, key = edgeKey.privateKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: EDGE_ISSUER, aud: VIEWER_TICKET_AUDIENCE, sub: SERIAL, sid: sessionId, uid: "u-1", role: "guest", iat: now, exp: now + 60, ...extra })
    .setProtectedHeader({ alg: "ES256" })
    .sign(key);
}

let server: WebSocketServer | undefined;
let agent: Agent | undefined;

afterEach(async () => {
  await agent?.stop("test over");
  agent = undefined;
  for (const c of server?.clients ?? []) c.terminate();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** Starts a fake edge and the agent; resolves with the edge's end of the device socket. */
async function start(): Promise<{ socket: WebSocket; inbox: Array<Record<string, any>> }> {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => server!.once("listening", r));
  const port = (server.address() as { port: number }).port;
  const inbox: Array<Record<string, any>> = [];
  const connected = new Promise<WebSocket>((resolve) =>
    server!.on("connection", (ws) => {
      ws.on("message", (data) => {
        const text = data.toString();
        if (text === "ping") return;
        const msg = JSON.parse(text);
        if (msg.type === "hello") ws.send(JSON.stringify({ type: "welcome", v: PROTOCOL_VERSION, serial: SERIAL, heartbeatSeconds: 30 }));
        else inbox.push(msg);
      });
      resolve(ws);
    }),
  );
  agent = createAgent({
    edge: `http://127.0.0.1:${port}`,
    serial: SERIAL,
    token: "t",
    name: "test",
    source: idleSource,
    loopbackCandidates: true,
    logger: silentLogger,
    grants: { init: async () => {}, verify: (g, sid) => verifyGrant(g, { key: edgeKey.publicKey, serial: SERIAL, sessionId: sid }) },
  });
  await agent.start();
  return { socket: await connected, inbox };
}

async function until<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("agent grant check", () => {
  it("refuses a session whose grant was replayed from another session, before making a peer connection", async () => {
    const { socket, inbox } = await start();
    const replayed = await grant("S-FIRST-000001");
    socket.send(JSON.stringify({ type: "session-start", sessionId: "S-SECOND-00002", iceServers: [], grant: replayed }));
    const bye = await until(() => inbox.find((m) => m.type === "bye"));
    expect(bye).toEqual({ type: "bye", sessionId: "S-SECOND-00002", reason: "grant_invalid: grant is for another session" });
    expect(inbox.some((m) => m.type === "offer")).toBe(false);
    expect(agent!.sessions.size).toBe(0);
  });

  it("refuses a grant signed by someone other than the edge", async () => {
    const { socket, inbox } = await start();
    const forger = await generateKeyPair("ES256");
    socket.send(JSON.stringify({ type: "session-start", sessionId: "S-FORGED-00001", iceServers: [], grant: await grant("S-FORGED-00001", {}, forger.privateKey) }));
    const bye = await until(() => inbox.find((m) => m.type === "bye"));
    expect(bye.reason).toBe("grant_invalid: ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    expect(agent!.sessions.size).toBe(0);
  });

  it("offers for a session with a valid grant", async () => {
    const { socket, inbox } = await start();
    socket.send(JSON.stringify({ type: "session-start", sessionId: "S-GOOD-000001", iceServers: [], grant: await grant("S-GOOD-000001") }));
    const offer = await until(() => inbox.find((m) => m.type === "offer"));
    expect(offer.sessionId).toBe("S-GOOD-000001");
    expect(agent!.sessions.has("S-GOOD-000001")).toBe(true);
  });
});
