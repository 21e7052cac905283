// One viewer floods a camera's hub on real parts (the edge in workerd through wrangler, D1 with
// the real migrations, a stand-in camera holding a real vendor-signed token): 10 000 valid
// candidate frames as fast as its socket takes them. It is closed 1008 too_many_messages, the
// camera is relayed no more than its budget, and a second viewer of the same camera gets its
// session (hello → welcome → offer) within its usual time plus 50 ms (issue 14).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { FRAME_BUDGETS } from "../../worker/src/hub/frame-budget.ts";
import { connectStandInCamera, grantViewerSocket, helloToOffer, signInCookie, standInCandidate, type StandInCamera } from "../../scripts/lib/stand-in-clients.ts";
import { startTestStack } from "./support/local-stack.ts";

const FLOOD_FRAMES = 10_000;
const ROUNDS = 5;
/** The acceptance's allowance over the second viewer's usual hello → offer. */
const ALLOWANCE_MS = 50;

let stack: Awaited<ReturnType<typeof startTestStack>>;
let camera: StandInCamera;
let cookie: string;

beforeAll(async () => {
  stack = await startTestStack("hub-flood", { agentSource: false });
  const owner = stack.camera.owner;
  if (!owner) throw new Error("the stack has no demo account");
  cookie = await signInCookie(stack.url, owner.email, owner.password);
  camera = await connectStandInCamera(stack.url, stack.camera.serial, stack.camera.token);
});

afterAll(async () => {
  camera?.socket.close();
  await stack?.stop();
});

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

/** A second viewer's session: hello → welcome → the camera's offer (ms from the hello), then bye. */
async function probe(): Promise<number> {
  const { socketUrl } = await grantViewerSocket(stack.url, cookie, stack.camera.serial);
  const { ws, timings } = await helloToOffer(socketUrl);
  await bye(ws);
  return timings.offerMs;
}

function bye(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once("close", () => resolve());
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "bye", reason: "test" }));
    ws.close();
  });
}

describe("a viewer flooding the hub", () => {
  it("is closed 1008 too_many_messages, the camera gets at most its budget, and another viewer's session starts within its usual time plus 50 ms", async () => {
    for (let i = 0; i < 3; i++) await probe(); // warm-up: first compiles, first D1 reads
    // Each round measures the usual time and then the time under flood, back to back, so a
    // change in this shared machine's load weighs on both alike.
    const usual: number[] = [];
    const underFlood: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      usual.push(await probe());
      const flooder = await grantViewerSocket(stack.url, cookie, stack.camera.serial);
      const { ws } = await helloToOffer(flooder.socketUrl);
      const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
      const errors: unknown[] = [];
      ws.on("message", (data) => errors.push(JSON.parse(String(data))));
      for (let i = 0; i < FLOOD_FRAMES; i++) ws.send(JSON.stringify({ type: "candidate", candidate: standInCandidate(i) }));

      underFlood.push(await probe());

      const close = await closed;
      expect(close.code).toBe(1008);
      expect(close.reason).toMatch(/^too_many_messages/);
      expect(errors).toContainEqual(expect.objectContaining({ type: "error", code: "too_many_messages" }));
      // The burst, plus what the rate earned while the worker read the flood.
      const relayed = camera.candidatesBySession.get(flooder.sessionId) ?? 0;
      expect(relayed).toBeGreaterThan(0);
      expect(relayed).toBeLessThanOrEqual(FRAME_BUDGETS.viewer.burst + 20);
    }
    const usualMs = median(usual);
    const floodMs = median(underFlood);
    console.log(`[hub-flood] hello → offer: usual median ${usualMs.toFixed(1)} ms (${usual.map((n) => n.toFixed(0)).join(", ")}), under flood median ${floodMs.toFixed(1)} ms (${underFlood.map((n) => n.toFixed(0)).join(", ")})`);
    expect(floodMs).toBeLessThanOrEqual(usualMs + ALLOWANCE_MS);
  }, 120_000);
});
