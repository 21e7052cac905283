// Budgets in workerd: a viewer that sends more frames than a session needs is closed 1008 by the
// worker before the hub sees them, its session ends on the camera (no grace), another viewer of
// the same camera goes on, and no session is relayed more candidates than the cap.
import { afterEach, describe, expect, it } from "vitest";
import { FRAME_BUDGETS, MAX_CANDIDATES_PER_SESSION } from "../src/hub/frame-budget.ts";
import { connectDevice, startViewer } from "./support/connect.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets, type TestSocket } from "./support/test-socket.ts";

afterEach(closeAllSockets);

const candidate = (i: number) => ({ candidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${20_000 + i} typ host`, sdpMid: "0", sdpMLineIndex: 0 });

/** Drains `socket` until a message of `type` (others are counted by type). */
async function drainUntil(socket: TestSocket, type: string): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (;;) {
    const msg = await socket.next();
    if (msg.type === type) return seen;
    seen[String(msg.type)] = (seen[String(msg.type)] ?? 0) + 1;
  }
}

describe("frame budgets in workerd", () => {
  it("closes a viewer that floods candidates 1008 too_many_messages, relays no more than its burst, ends its session on the camera and leaves the other viewer's session working", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const calm = await startViewer(device, deviceSocket);
    const flood = await startViewer(device, deviceSocket);

    for (let i = 0; i < 2_000; i++) flood.viewer.send({ type: "candidate", candidate: candidate(i) });
    expect(await flood.viewer.expectMessage("error")).toMatchObject({ code: "too_many_messages" });
    const closed = await flood.viewer.waitClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^too_many_messages/);

    // The camera got at most the burst (plus what the rate earned meanwhile), then session-end.
    const relayed = await drainUntil(deviceSocket, "session-end");
    expect(relayed.candidate ?? 0).toBeGreaterThan(0);
    expect(relayed.candidate ?? 0).toBeLessThanOrEqual(FRAME_BUDGETS.viewer.burst + 10);

    // The calm viewer's session still relays both ways.
    calm.viewer.send({ type: "candidate", candidate: candidate(1) });
    expect(await deviceSocket.expectMessage("candidate")).toMatchObject({ sessionId: calm.sessionId });
    deviceSocket.send({ type: "candidate", sessionId: calm.sessionId, candidate: candidate(2) });
    expect(await calm.viewer.expectMessage("candidate")).toMatchObject({ candidate: candidate(2) });
  });

  it("a viewer within its budget is never closed: a burst of candidates at the limit all reach the camera", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await startViewer(device, deviceSocket);
    // The hello spent one frame.
    const n = FRAME_BUDGETS.viewer.burst - 1;
    for (let i = 0; i < n; i++) viewer.send({ type: "candidate", candidate: candidate(i) });
    for (let i = 0; i < n; i++) expect(await deviceSocket.expectMessage("candidate")).toMatchObject({ sessionId, candidate: candidate(i) });
    await viewer.expectSilence();
    expect(viewer.isClosed).toBe(false);
  });

  it("relays at most the cap of candidates for one session from the camera, then ends that session with too_many_messages", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const { viewer, sessionId } = await startViewer(device, deviceSocket);
    // Within the camera's own frame budget, but past the session's candidate cap.
    const sent = MAX_CANDIDATES_PER_SESSION + 20;
    expect(sent).toBeLessThan(FRAME_BUDGETS.device.burst);
    for (let i = 0; i < sent; i++) deviceSocket.send({ type: "candidate", sessionId, candidate: candidate(i) });
    const got = await drainUntil(viewer, "error");
    expect(got.candidate).toBe(MAX_CANDIDATES_PER_SESSION);
    const closed = await viewer.waitClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain(`more than ${MAX_CANDIDATES_PER_SESSION} candidates`);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId, reason: "too_many_messages" });
  });
});
