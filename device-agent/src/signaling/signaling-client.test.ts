// The device's signaling socket against a fake edge (real ws): after the edge drops it, the
// client reconnects and says hello again with what is true now (the sessions still playing).
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { PROTOCOL_VERSION, closeReason, type DeviceToEdge } from "../../../protocol/index.ts";
import type { AgentError } from "../errors.ts";
import { silentLogger } from "../log.ts";
import { CLOSE_DEVICE_REPLACED } from "./refusal.ts";
import { createSignalingClient, type SignalingClient } from "./signaling-client.ts";

let server: WebSocketServer | undefined;
let client: SignalingClient | undefined;

afterEach(async () => {
  await client?.stop();
  for (const c of server?.clients ?? []) c.terminate();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = client = undefined;
});

describe("device signaling client", () => {
  it("sends a fresh hello on every reconnect, listing the sessions the agent has at that moment", async () => {
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((r) => server!.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const hellos: Array<Extract<DeviceToEdge, { type: "hello" }>> = [];
    const sockets: WebSocket[] = [];
    server.on("connection", (ws) => {
      sockets.push(ws);
      ws.on("message", (data) => {
        const msg = JSON.parse(data.toString());
        if (msg.type !== "hello") return;
        hellos.push(msg);
        ws.send(JSON.stringify({ type: "welcome", v: PROTOCOL_VERSION, serial: "CAM-SIG-1", heartbeatSeconds: 30 }));
      });
    });
    let live: string[] = [];
    let disconnects = 0;
    client = createSignalingClient({
      url: `ws://127.0.0.1:${port}/ws/device/CAM-SIG-1`,
      token: "t",
      hello: () => ({ type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false }, sessions: live }),
      policy: { nextRetryDelayInMs: () => 10 },
      logger: silentLogger,
      onMessage: () => {},
      onDisconnected: () => disconnects++,
      onFatal: (e) => {
        throw e;
      },
    });
    client.start();
    await until(() => hellos.length === 1);
    expect(hellos[0]?.sessions).toEqual([]);

    live = ["S-KEPT-0001"];
    sockets[0]?.terminate(); // the edge (or the network) drops the socket

    await until(() => hellos.length === 2);
    expect(hellos[1]?.sessions).toEqual(["S-KEPT-0001"]);
    expect(disconnects).toBe(1);
    await until(() => client?.connected === true);
  });
});

describe("a camera socket replaced at the edge", () => {
  /** A fake edge that answers each connection's hello as `script[n]` says. */
  async function edge(script: Array<"silent" | "welcome-then-replace" | "welcome">): Promise<{ port: number; connections: () => number }> {
    server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((r) => server!.once("listening", r));
    let n = 0;
    server.on("connection", (ws) => {
      const step = script[Math.min(n++, script.length - 1)];
      ws.on("message", () => {
        if (step === "silent") return;
        ws.send(JSON.stringify({ type: "welcome", v: PROTOCOL_VERSION, serial: "CAM-SIG-2", heartbeatSeconds: 30 }));
        if (step === "welcome-then-replace") setTimeout(() => ws.close(CLOSE_DEVICE_REPLACED, closeReason("device_replaced")), 20);
      });
    });
    return { port: (server.address() as { port: number }).port, connections: () => n };
  }

  function start(port: number, fatals: AgentError[]): void {
    client = createSignalingClient({
      url: `ws://127.0.0.1:${port}/ws/device/CAM-SIG-2`,
      token: "t",
      hello: { type: "hello", v: PROTOCOL_VERSION, agent: { version: "1", source: "unit", videoCodecs: ["VP8"], audio: false }, sessions: [] },
      policy: { nextRetryDelayInMs: () => 10 },
      welcomeTimeoutMs: 150,
      logger: silentLogger,
      onMessage: () => {},
      onFatal: (e) => fatals.push(e),
    });
    client.start();
  }

  it("reconnects instead of exiting when it had just abandoned an attempt the edge welcomed too late", async () => {
    // The first attempt hears no welcome in time and is given up; the edge then lets that late
    // attempt replace the agent's new socket (4000 device_replaced): not another agent.
    const e = await edge(["silent", "welcome-then-replace", "welcome"]);
    const fatals: AgentError[] = [];
    start(e.port, fatals);
    await until(() => e.connections() >= 3 && client?.connected === true);
    expect(fatals).toEqual([]);
  });

  it("exits on a replacement when it abandoned no attempt (another agent holds its serial)", async () => {
    const e = await edge(["welcome-then-replace", "welcome"]);
    const fatals: AgentError[] = [];
    start(e.port, fatals);
    await until(() => fatals.length === 1);
    expect(fatals[0]?.code).toBe("device_replaced");
    expect(e.connections()).toBe(1);
  });

  it("exits in the end when replacements keep coming after one abandoned attempt", async () => {
    const e = await edge(["silent", "welcome-then-replace"]);
    const fatals: AgentError[] = [];
    start(e.port, fatals);
    await until(() => fatals.length === 1);
    expect(fatals[0]?.code).toBe("device_replaced");
    // The abandoned attempt, three retried replacements and the one obeyed.
    expect(e.connections()).toBe(5);
  });
});

async function until(probe: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
