// The agent runs NAT discovery at start against a real coturn with two loopback addresses and
// reports the result to an edge that says (welcome.accepts) it keeps it — and to no other edge,
// whose frame validation would close the socket on an unknown message type.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { PROTOCOL_VERSION } from "../../protocol/index.ts";
import { coturnInstalled, startCoturn, type Coturn } from "../../scripts/lib/coturn.ts";
import { createAgent, type Agent } from "../src/agent.ts";
import { createLogger } from "../src/log.ts";
import { createEdgeGrants, idleSource, until } from "./fake-edge-grants.ts";

const SERIAL = "CAM-AGENT-NAT";
let coturn: Coturn;
let server: WebSocketServer | undefined;
let agent: Agent | undefined;

beforeAll(async () => {
  if (!coturnInstalled()) throw new Error("coturn is not installed: apt-get install coturn (npm test installs it)");
  coturn = await startCoturn({ secret: randomBytes(12).toString("hex"), name: "agent-nat", rfc5780: true });
});
afterAll(async () => {
  await coturn?.stop();
});
afterEach(async () => {
  await agent?.stop("test over");
  agent = undefined;
  for (const c of server?.clients ?? []) c.terminate();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A fake edge whose welcome lists `accepts`; the agent asks coturn about its NAT at start. */
async function start(accepts: string[] | undefined, o: { stunInWelcome?: boolean } = {}) {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => server!.once("listening", r));
  const port = (server.address() as { port: number }).port;
  const inbox: Array<Record<string, any>> = [];
  const logLines: Array<Record<string, any>> = [];
  server.on("connection", (ws) =>
    ws.on("message", (data) => {
      const text = data.toString();
      if (text === "ping") return;
      const msg = JSON.parse(text);
      const stun = o.stunInWelcome ? { stun: [`stun:127.0.0.1:${coturn.port}`] } : {};
      if (msg.type === "hello") ws.send(JSON.stringify({ type: "welcome", v: PROTOCOL_VERSION, serial: SERIAL, heartbeatSeconds: 30, ...(accepts ? { accepts } : {}), ...stun }));
      else inbox.push(msg);
    }),
  );
  agent = createAgent({
    edge: `http://127.0.0.1:${port}`,
    serial: SERIAL,
    token: "t",
    name: "test",
    source: idleSource,
    loopbackCandidates: true,
    logger: createLogger({ sink: (l) => logLines.push(JSON.parse(l)) }),
    grants: (await createEdgeGrants(SERIAL)).verifier,
    ...(o.stunInWelcome ? {} : { natStunServer: ["127.0.0.1", coturn.port] as const }),
  });
  await agent.start();
  return { inbox, logLines };
}

describe("agent NAT status", () => {
  it("discovers its NAT at start, logs nat_discovered and reports it to an edge that accepts status", async () => {
    const { inbox, logLines } = await start(["status"]);
    const status = await until(() => inbox.find((m) => m.type === "status"), 5000);
    expect(status).toEqual({
      type: "status",
      nat: { natType: "open-internet", mapping: "none", filtering: "endpoint-independent", hairpinning: null, udpBlocked: false, rfc5780: true, at: expect.any(Number) },
    });
    expect(logLines.find((l) => l.event === "nat_discovered")).toMatchObject({ reason: "start", natType: "open-internet", server: `127.0.0.1:${coturn.port}`, rfc5780: true });
    expect(agent!.nat.last?.natType).toBe("open-internet");
  });

  it("keeps its NAT report to itself when the edge's welcome does not accept status", async () => {
    const { inbox, logLines } = await start(undefined);
    await until(() => logLines.find((l) => l.event === "nat_discovered"), 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.filter((m) => m.type === "status")).toEqual([]);
  });

  it("discovers at start with the STUN server the edge's welcome names when none was configured", async () => {
    const { inbox, logLines } = await start(["status"], { stunInWelcome: true });
    expect((await until(() => inbox.find((m) => m.type === "status"), 5000)).nat.natType).toBe("open-internet");
    expect(logLines.find((l) => l.event === "nat_discovered")).toMatchObject({ reason: "start", server: `127.0.0.1:${coturn.port}` });
  });
});
