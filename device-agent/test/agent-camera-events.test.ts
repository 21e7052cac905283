// The agent tells the edge a camera event started (id, kind, time — never a picture) only when
// the edge's welcome accepts "event": an older edge's frame validation would close the socket
// on an unknown message type.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { DEVICE_EVENT_MESSAGE, DeviceEventSchema, PROTOCOL_VERSION } from "../../protocol/index.ts";
import { createAgent, type Agent } from "../src/agent.ts";
import { createCameraControls, type ControlsContext } from "../src/controls/camera-controls.ts";
import { createLogger, silentLogger } from "../src/log.ts";
import { createEdgeGrants, idleSource, until } from "./fake-edge-grants.ts";

const SERIAL = "CAM-AGENT-EVENTS";
let server: WebSocketServer | undefined;
let agent: Agent | undefined;

afterEach(async () => {
  await agent?.stop("test over");
  agent = undefined;
  for (const c of server?.clients ?? []) c.terminate();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A fake edge whose welcome lists `accepts`; returns its inbox and a way to make the camera see motion. */
async function start(accepts: string[] | undefined) {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => server!.once("listening", r));
  const port = (server.address() as { port: number }).port;
  const inbox: Array<Record<string, any>> = [];
  let welcomed = false;
  server.on("connection", (ws) =>
    ws.on("message", (data) => {
      const text = data.toString();
      if (text === "ping") return;
      const msg = JSON.parse(text);
      if (msg.type === "hello") {
        ws.send(JSON.stringify({ type: "welcome", v: PROTOCOL_VERSION, serial: SERIAL, heartbeatSeconds: 30, ...(accepts ? { accepts } : {}) }));
        welcomed = true;
      } else inbox.push(msg);
    }),
  );
  let ctx: ControlsContext | undefined;
  agent = createAgent({
    edge: `http://127.0.0.1:${port}`,
    serial: SERIAL,
    token: "t",
    name: "test",
    source: idleSource,
    loopbackCandidates: true,
    logger: createLogger({ sink: () => {} }),
    grants: (await createEdgeGrants(SERIAL)).verifier,
    controls: () => createCameraControls([(c) => ((ctx = c), { name: "motion", handlers: {} })], silentLogger),
  });
  await agent.start();
  await until(() => welcomed || undefined, 5000);
  await new Promise((r) => setTimeout(r, 100));
  const motion = (id: string) => ctx!.cameraEvent!({ id, kind: "motion", startedAt: new Date(1_765_000_000_000).toISOString() });
  return { inbox, motion };
}

describe("agent camera events", () => {
  it("sends the event frame to an edge whose welcome accepts events", async () => {
    const { inbox, motion } = await start(["status", DEVICE_EVENT_MESSAGE]);
    motion("m1-abcdef");
    const frame = await until(() => inbox.find((m) => m.type === "event"), 5000);
    expect(DeviceEventSchema.parse(frame)).toEqual({ type: "event", event: { id: "m1-abcdef", kind: "motion", startedAt: "2025-12-06T05:46:40.000Z" } });
    expect(Object.keys(frame.event).sort()).toEqual(["id", "kind", "startedAt"]);
  });

  it("keeps events to itself when the edge does not accept them", async () => {
    const { inbox, motion } = await start(["status"]);
    motion("m1-abcdef");
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.filter((m) => m.type === "event")).toEqual([]);
  });
});
