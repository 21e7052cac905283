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
  close(): Promise<void>;
}

/** Launches Chromium inside `ns`, opens the PWA, connects and waits for the first frame. */
export async function watchLive(ns: string, scratchDir: string, serial: string, accessCode: string, timeoutMs = 20_000): Promise<LiveView> {
  const browser = await launchChromiumInNamespace(ns, scratchDir, "live");
  try {
    const page = await browser.newPage();
    await page.goto(`${EDGE_URL}/watch`, { timeout: 15_000 });
    await connect(page, serial, accessCode);
    await waitForFirstFrame(page, timeoutMs);
    return {
      state: () => readState(page) as Promise<LiveState>,
      progress: () => playbackProgress(page),
      close: () => browser.close().catch(() => {}),
    };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}
