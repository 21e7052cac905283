// The agent against a fake edge: a session-start whose grant does not verify gets a bye with
// grant_invalid and no offer (no peer connection is made); a valid one gets an offer.
import { generateKeyPair } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { PROTOCOL_VERSION } from "../../protocol/index.ts";
import { createAgent, type Agent } from "../src/agent.ts";
import { silentLogger } from "../src/log.ts";
import { createEdgeGrants, idleSource, until, type EdgeGrants } from "./fake-edge-grants.ts";

const SERIAL = "CAM-AGENT-GRANT";
let edge: EdgeGrants;

beforeAll(async () => {
  edge = await createEdgeGrants(SERIAL);
});

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
    grants: edge.verifier,
  });
  await agent.start();
  return { socket: await connected, inbox };
}

describe("agent grant check", () => {
  it("refuses a session whose grant was replayed from another session, before making a peer connection", async () => {
    const { socket, inbox } = await start();
    const replayed = await edge.sign("S-FIRST-000001");
    socket.send(JSON.stringify({ type: "session-start", sessionId: "S-SECOND-00002", iceServers: [], grant: replayed }));
    const bye = await until(() => inbox.find((m) => m.type === "bye"));
    expect(bye).toEqual({ type: "bye", sessionId: "S-SECOND-00002", reason: "grant_invalid: grant is for another session" });
    expect(inbox.some((m) => m.type === "offer")).toBe(false);
    expect(agent!.sessions.size).toBe(0);
  });

  it("refuses a grant signed by someone other than the edge", async () => {
    const { socket, inbox } = await start();
    const forger = await generateKeyPair("ES256");
    socket.send(JSON.stringify({ type: "session-start", sessionId: "S-FORGED-00001", iceServers: [], grant: await edge.sign("S-FORGED-00001", {}, forger.privateKey) }));
    const bye = await until(() => inbox.find((m) => m.type === "bye"));
    expect(bye.reason).toBe("grant_invalid: ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    expect(agent!.sessions.size).toBe(0);
  });

  it("offers for a session with a valid grant", async () => {
    const { socket, inbox } = await start();
    socket.send(JSON.stringify({ type: "session-start", sessionId: "S-GOOD-000001", iceServers: [], grant: await edge.sign("S-GOOD-000001") }));
    const offer = await until(() => inbox.find((m) => m.type === "offer"));
    expect(offer.sessionId).toBe("S-GOOD-000001");
    expect(agent!.sessions.has("S-GOOD-000001")).toBe(true);
  });
});
