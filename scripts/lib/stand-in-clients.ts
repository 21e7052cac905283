// Why: the signaling benchmarks and the hub's load tests drive the edge the way the agent and the
// PWA do, without media: a stand-in camera (a Node WebSocket holding a real vendor-signed device
// token that answers each session-start with a fixed offer) and viewer sockets. One copy here.
import path from "node:path";
import { WebSocket } from "ws";
import { z } from "zod";
import { PROTOCOL_VERSION } from "../../protocol/index.ts";
import { startStack, type Stack } from "./stack.ts";

// A fixed, plausible offer (what the agent sends, minus candidates): no media ever flows.
export const FIXED_OFFER = [
  "v=0",
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
  "s=-",
  "t=0 0",
  "a=group:BUNDLE 0",
  "a=msid-semantic: WMS",
  "m=video 9 UDP/TLS/RTP/SAVPF 96",
  "c=IN IP4 0.0.0.0",
  "a=rtcp:9 IN IP4 0.0.0.0",
  "a=ice-ufrag:benc",
  "a=ice-pwd:benchbenchbenchbenchbench",
  "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
  "a=setup:actpass",
  "a=mid:0",
  "a=sendonly",
  "a=rtcp-mux",
  "a=rtpmap:96 VP8/90000",
  "",
].join("\r\n");
export const FIXED_ANSWER = FIXED_OFFER.replace("a=setup:actpass", "a=setup:active").replace("a=sendonly", "a=recvonly");

/** A plausible host candidate; `i` varies the port so each frame is a distinct candidate. */
export function standInCandidate(i: number): { candidate: string; sdpMid: string; sdpMLineIndex: number } {
  return { candidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${10_000 + (i % 50_000)} typ host generation 0`, sdpMid: "0", sdpMLineIndex: 0 };
}

/**
 * The local edge alone, as benchmarks with stand-in clients use it: no agent, no PWA build, state
 * under `dir`. Process lines matching `show` (or all, with BENCH_VERBOSE) are printed.
 */
export function startEdgeOnly(dir: string, show: RegExp = /error|exception|uncaught/i): Promise<Stack> {
  return startStack({
    port: 0,
    persistDir: path.join(dir, "state"),
    demoFile: path.join(dir, "demo-camera.json"),
    buildWeb: "never",
    agentSource: false,
    log: (line) => console.log(line),
    onProcessLine: (name, line) => {
      if (process.env.BENCH_VERBOSE || show.test(line)) console.log(`  [${name}] ${line.slice(0, 300)}`);
    },
  });
}

export interface StandInCamera {
  serial: string;
  socket: WebSocket;
  offersSent: number;
  /** Candidate frames the edge relayed to the camera, by session id. */
  candidatesBySession: Map<string, number>;
}

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, "ws");
}

/** Connects and says hello; resolves at welcome. `onClose` hears an unexpected close. */
export async function connectStandInCamera(url: string, serial: string, token: string, onClose?: (code: number, reason: string) => void): Promise<StandInCamera> {
  const socket = new WebSocket(`${wsUrl(url)}/ws/device/${encodeURIComponent(serial)}`, { headers: { authorization: `Bearer ${token}` } });
  const camera: StandInCamera = { serial, socket, offersSent: 0, candidatesBySession: new Map() };
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`camera ${serial} refused: ${res.statusCode}`)));
    socket.once("open", () => {
      socket.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, agent: { version: "stand-in", source: "stand-in", videoCodecs: ["VP8"], audio: false } }));
    });
    socket.on("message", (data) => {
      const text = String(data);
      if (text === "pong") return;
      const msg = JSON.parse(text) as { type: string; sessionId?: string };
      if (msg.type === "welcome") resolve();
      // Answer at once, as an agent with everything pre-created would.
      if (msg.type === "session-start" && msg.sessionId) {
        socket.send(JSON.stringify({ type: "offer", sessionId: msg.sessionId, sdp: FIXED_OFFER }));
        camera.offersSent++;
      }
      if (msg.type === "candidate" && msg.sessionId) camera.candidatesBySession.set(msg.sessionId, (camera.candidatesBySession.get(msg.sessionId) ?? 0) + 1);
    });
  });
  // Keep-alive as the agent does (workerd answers it without waking the hub).
  const ping = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send("ping"), 20_000);
  socket.once("close", (code, reason) => {
    clearInterval(ping);
    onClose?.(code, String(reason));
  });
  return camera;
}

const GrantSchema = z.object({ sessionId: z.string(), ticket: z.string(), wsPath: z.string() });

/** POST /api/sessions with the owner's cookie: the viewer socket's URL and the session id. */
export async function grantViewerSocket(url: string, cookie: string, serial: string): Promise<{ sessionId: string; socketUrl: string }> {
  const res = await fetch(`${url}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: url },
    body: JSON.stringify({ serial }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`grant ${res.status} ${text.slice(0, 160)}`);
  const grant = GrantSchema.parse(JSON.parse(text));
  return { sessionId: grant.sessionId, socketUrl: `${wsUrl(url)}${grant.wsPath}?ticket=${encodeURIComponent(grant.ticket)}` };
}

/** The owner's session cookie, as the browser holds it after signing in. */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (login.headers.getSetCookie()[0] ?? "").split(";", 1)[0] ?? "";
  if (!login.ok || !cookie) throw new Error(`login failed: ${login.status}`);
  return cookie;
}

export interface ViewerTimings {
  /** ms from the hello sent to the welcome, and to the camera's offer. */
  welcomeMs: number;
  offerMs: number;
}

/**
 * An open viewer socket that said hello: resolves with the timings once the camera's offer came
 * (the socket stays open for the caller), or rejects with the edge's error / close.
 */
export function helloToOffer(socketUrl: string, timeoutMs = 15_000): Promise<{ ws: WebSocket; timings: ViewerTimings }> {
  const ws = new WebSocket(socketUrl);
  return new Promise((resolve, reject) => {
    let sentAt = Number.NaN;
    let welcomeAt = Number.NaN;
    const timer = setTimeout(() => (ws.terminate(), reject(new Error("timeout before the offer"))), timeoutMs);
    ws.once("open", () => {
      sentAt = performance.now();
      ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, client: "stand-in" }));
    });
    const onMessage = (data: unknown) => {
      const msg = JSON.parse(String(data)) as { type: string; code?: string; message?: string };
      if (msg.type === "welcome") welcomeAt = performance.now();
      else if (msg.type === "offer") {
        clearTimeout(timer);
        ws.off("message", onMessage);
        resolve({ ws, timings: { welcomeMs: welcomeAt - sentAt, offerMs: performance.now() - sentAt } });
      } else if (msg.type === "error") reject(new Error(`${msg.code}: ${msg.message}`));
    };
    ws.on("message", onMessage);
    ws.once("error", (e) => (clearTimeout(timer), reject(e)));
    ws.once("close", (code, reason) => (clearTimeout(timer), reject(new Error(`closed ${code} ${String(reason)}`))));
  });
}
