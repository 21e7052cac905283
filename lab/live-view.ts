// Why: the flap test needs one viewing page kept open across link cuts, where the grid's
// viewer (viewer.ts) opens a page per pair and closes it. Same Chromium-in-a-namespace launch.
import { connect, readState, waitForFirstFrame, type PortholeState } from "../test/e2e/support/pwa.ts";
import { playbackProgress } from "../test/e2e/support/video-frame.ts";
import { EDGE_URL } from "./addresses.ts";
import { launchChromiumInNamespace } from "./ns-chromium.ts";

export interface LiveState extends PortholeState {
  sessionId?: string | null;
  iceRestarts?: number;
  iceState?: string | null;
}

/** A viewing page kept open on one session. */
export interface LiveView {
  state(): Promise<LiveState>;
  /** Frames presented so far (totalVideoFrames) and the playback clock. */
  progress(): Promise<{ frames: number; time: number }>;
  /**
   * For a miss: the live video's receive figures (inbound-rtp), the page's <video> elements and
   * which one is the live picture — so a freeze can be told apart from loss, a stuck decoder or
   * a measurement of the wrong element.
   */
  videoDiagnostics(): Promise<string>;
  close(): Promise<void>;
}

/** Launches Chromium inside `ns`, opens the PWA, connects and waits for the first frame. */
export async function watchLive(ns: string, scratchDir: string, serial: string, accessCode: string, timeoutMs = 20_000): Promise<LiveView> {
  const browser = await launchChromiumInNamespace(ns, scratchDir, "live");
  try {
    const page = await browser.newPage();
    // Keeps the page's peer connections reachable for videoDiagnostics (the harness's own aid).
    await page.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      const all: RTCPeerConnection[] = [];
      (window as unknown as { __labPcs: RTCPeerConnection[] }).__labPcs = all;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          all.push(this);
        }
      } as typeof RTCPeerConnection;
    });
    await page.goto(`${EDGE_URL}/watch`, { timeout: 15_000 });
    await connect(page, serial, accessCode);
    await waitForFirstFrame(page, timeoutMs);
    return {
      state: () => readState(page) as Promise<LiveState>,
      progress: () => playbackProgress(page),
      videoDiagnostics: () =>
        page.evaluate(async () => {
          const pcs = (window as unknown as { __labPcs?: RTCPeerConnection[] }).__labPcs ?? [];
          const videos = [...document.querySelectorAll("video")].map((v) => {
            const q = v.getVideoPlaybackQuality();
            return `${v.dataset["testid"] ?? v.className}: ${v.srcObject ? "stream" : v.src ? "src" : "none"}, ${v.paused ? "paused" : "playing"}, frames ${q.totalVideoFrames}, dropped ${q.droppedVideoFrames}, ${v.videoWidth}x${v.videoHeight}, t ${v.currentTime.toFixed(1)}`;
          });
          const live = pcs.filter((pc) => pc.connectionState !== "closed");
          const inbound: string[] = [];
          for (const pc of live) {
            for (const r of (await pc.getStats()).values() as IterableIterator<Record<string, unknown>>) {
              if (r["type"] !== "inbound-rtp" || r["kind"] !== "video") continue;
              const keys = ["packetsReceived", "packetsLost", "bytesReceived", "framesReceived", "framesDecoded", "keyFramesDecoded", "framesDropped", "pliCount", "nackCount", "firCount", "freezeCount", "totalFreezesDuration", "jitterBufferDelay", "jitterBufferEmittedCount", "decoderImplementation"];
              inbound.push(keys.map((k) => `${k} ${String(r[k] ?? "-")}`).join(", "));
            }
          }
          return `peer connections ${pcs.length} (${live.length} open); videos: ${videos.join(" | ") || "none"}; inbound video: ${inbound.join(" | ") || "none"}`;
        }),
      close: () => browser.close().catch(() => {}),
    };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}
