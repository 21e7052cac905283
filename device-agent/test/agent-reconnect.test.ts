// The agent's side of signaling resume, against a fake edge and a werift viewer over 127.0.0.1:
// when the edge drops the device socket, a connected session keeps its peer connection, the
// agent reconnects and its hello lists that session (so the hub keeps the viewer), and
// signaling for it works again (an ICE restart re-offers on the same session).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { RTCPeerConnection, useH264, useOPUS, useVP8 } from "werift";
import { WebSocketServer, type WebSocket } from "ws";
import { PROTOCOL_VERSION } from "../../protocol/index.ts";
import { createAgent, type Agent } from "../src/agent.ts";
import { silentLogger } from "../src/log.ts";
import { startRestartedIce } from "../src/werift/ice-restart.ts";
import { createEdgeGrants, idleSource, until, type EdgeGrants } from "./fake-edge-grants.ts";

const SERIAL = "CAM-AGENT-RESUME";
const SESSION = "S-RESUME-000001";
let edge: EdgeGrants;

beforeAll(async () => {
  edge = await createEdgeGrants(SERIAL);
});

let server: WebSocketServer | undefined;
let agent: Agent | undefined;
let viewer: RTCPeerConnection | undefined;

afterEach(async () => {
  await agent?.stop("test over");
  await viewer?.close();
  for (const c of server?.clients ?? []) c.terminate();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = agent = viewer = undefined;
});

describe("agent across a dropped signaling socket", () => {
  it("keeps a connected session, lists it in its next hello, and re-offers on it when asked to restart ICE", async () => {
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((r) => server!.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const hellos: Array<Record<string, any>> = [];
    const offers: string[] = [];
    let socket: WebSocket | undefined;
    viewer = new RTCPeerConnection({
      bundlePolicy: "max-bundle",
      iceUseIpv6: false,
      iceServers: [],
      iceAdditionalHostAddresses: ["127.0.0.1"],
      codecs: { video: [useVP8(), useH264()], audio: [useOPUS()] },
    });
    const pc = viewer;
    pc.onIceCandidate.subscribe((c) => {
      if (c) socket?.send(JSON.stringify({ type: "candidate", sessionId: SESSION, candidate: { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null } }));
    });
    // The fake edge: welcome each hello, relay the session between the agent and the viewer.
    server.on("connection", (ws) => {
      socket = ws;
      ws.on("message", (data) => {
        const text = data.toString();
        if (text === "ping") return void ws.send("pong");
        const msg = JSON.parse(text);
        if (msg.type === "hello") {
          hellos.push(msg);
          ws.send(JSON.stringify({ type: "welcome", v: PROTOCOL_VERSION, serial: SERIAL, heartbeatSeconds: 30 }));
        } else if (msg.type === "offer") {
          offers.push(msg.sdp);
          void (async () => {
            await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
            const answer = await pc.createAnswer();
            await pc.setLocalDescription(answer);
            if (offers.length > 1) startRestartedIce(pc, () => {});
            ws.send(JSON.stringify({ type: "answer", sessionId: SESSION, sdp: answer.sdp }));
          })();
        } else if (msg.type === "candidate" && msg.candidate.candidate) {
          void pc.addIceCandidate({ candidate: msg.candidate.candidate, sdpMid: msg.candidate.sdpMid ?? undefined, sdpMLineIndex: msg.candidate.sdpMLineIndex ?? undefined });
        }
      });
    });
    agent = createAgent({
      edge: `http://127.0.0.1:${port}`,
      serial: SERIAL,
      token: "t",
      name: "test",
      source: idleSource,
      loopbackCandidates: true,
      logger: silentLogger,
      policy: { nextRetryDelayInMs: () => 50 },
      grants: edge.verifier,
    });
    await agent.start();
    await until(() => hellos.length === 1);
    expect(hellos[0]?.sessions).toEqual([]);

    const grant = await edge.sign(SESSION);
    socket!.send(JSON.stringify({ type: "session-start", sessionId: SESSION, iceServers: [], grant }));
    await until(() => agent!.sessions.get(SESSION)?.connected);

    socket!.terminate(); // the edge restarts, or the network drops the socket

    await until(() => hellos.length === 2);
    expect(hellos[1]?.sessions).toEqual([SESSION]);
    expect(agent.sessions.get(SESSION)?.connected).toBe(true);
    // Signaling for the session works on the new socket: an ICE restart re-offers on it.
    socket!.send(JSON.stringify({ type: "restart", sessionId: SESSION }));
    await until(() => offers.length === 2);
    await until(() => pc.iceConnectionState === "connected" && offers.length === 2);
    expect(agent.sessions.has(SESSION)).toBe(true);
  }, 30_000);
});
