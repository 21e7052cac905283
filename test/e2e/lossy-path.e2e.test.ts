// A long, lossy path between the camera and Chromium: the agent's real PeerSession (demo clip),
// every datagram through a relay that adds 100 ms of round trip and loses chosen video packets.
// A NACK repair takes a round trip; the picture only keeps moving if Chromium holds frames that
// long. The camera asks for it with the playout-delay header extension once the viewer has
// NACKed (werift/playout-delay.ts), and its start replay must not have taught Chromium a clock
// that makes every live frame look late (track-feed.ts replayWriter) — without that, Chromium's
// buffer drained to under 10 ms within seconds whatever it was asked for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoSource } from "../../device-agent/src/media/demo-source.ts";
import { createMediaHub, type MediaHub } from "../../device-agent/src/media/media-hub.ts";
import { REPAIR_MARGIN_MS } from "../../device-agent/src/werift/playout-delay.ts";
import { launchChromium, type LaunchedBrowser } from "../../scripts/lib/chromium.ts";
import { watchThroughRelay, type InboundReport } from "./support/chromium-through-relay.ts";

const RTT_MS = 100;
const source = createDemoSource({ audio: false });
let hub: MediaHub;
let browser: LaunchedBrowser;

beforeAll(async () => {
  hub = createMediaHub(source);
  await source.start();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await source.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Per frame that left Chromium's jitter buffer between two reports: its target and actual hold. */
function buffer(a: InboundReport, b: InboundReport) {
  const d = (k: string) => (b.video[k] ?? 0) - (a.video[k] ?? 0);
  const frames = d("jitterBufferEmittedCount");
  return { frames, targetMs: (1000 * d("jitterBufferTargetDelay")) / frames, heldMs: (1000 * d("jitterBufferDelay")) / frames, nacks: b.video.nackCount ?? 0 };
}

async function watch(sessionId: string, lose: (videoPacket: number) => boolean) {
  const page = await browser.context.newPage();
  await page.goto("about:blank");
  let videoPackets = 0;
  const viewing = await watchThroughRelay({
    page,
    hub,
    sessionId,
    delayMs: RTT_MS / 2,
    drop: (d) => d.dir === "to-viewer" && d.kind === "rtp" && lose(++videoPackets),
  });
  try {
    const first = await viewing.firstFrame(15_000);
    expect(first.firstFrameMs, "Chromium decoded no frame").not.toBeNull();
    // Past the start replay and, on the lossy path, well past the first NACK.
    await sleep(4000);
    const from = await viewing.inbound();
    await sleep(4000);
    return buffer(from, await viewing.inbound());
  } finally {
    await viewing.close();
    await page.close();
  }
}

describe("a long lossy path in Chromium", () => {
  it("holds frames for a repair: after the first NACK Chromium's jitter buffer aims at a round trip plus the repair margin, and keeps that much for the rest of the session", async () => {
    // About one video packet in 25 lost, from the 100th on (the session is live by then).
    const b = await watch("lossy-path-1", (n) => n >= 100 && n % 25 === 0);
    expect(b.nacks).toBeGreaterThan(0);
    expect(b.frames).toBeGreaterThan(30);
    expect(b.targetMs).toBeGreaterThanOrEqual(RTT_MS + REPAIR_MARGIN_MS - 20);
    // Held, not just asked for: 4–8 s in, a buffer trained on the start replay's clock was empty.
    expect(b.heldMs).toBeGreaterThanOrEqual(RTT_MS + REPAIR_MARGIN_MS - 60);
  });

  it("asks nothing of a clean path: the same round trip with no loss keeps Chromium's own low target", async () => {
    const b = await watch("lossy-path-2", () => false);
    expect(b.nacks).toBe(0);
    expect(b.frames).toBeGreaterThan(30);
    expect(b.targetMs).toBeLessThan(RTT_MS + REPAIR_MARGIN_MS - 80);
  });
});
