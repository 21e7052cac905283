// Why: the e2e test and the TTFF benchmark read the session from the page instead of
// scraping the DOM: window.__porthole is one object, updated in place on every change.
import { describeError } from "../lib/error-messages.ts";
import { explainLive } from "../lib/live-explanation.ts";
import { currentStage, type SessionState, type StageName, type Timings } from "../lib/session-state.ts";
import type { PathKind } from "../lib/path-classification.ts";
import type { ControlMethod } from "../../../protocol/controls.ts";
import { ControlRequestError, type ControlClient } from "./control-client.ts";
import type { SessionStore } from "./store.ts";

export interface PortholeDebug {
  stage: StageName;
  /** "LAN direct" | "P2P (hole-punched)" | "Relay (TURN)" | null — the path label shown. */
  path: string | null;
  pathKind: PathKind | null;
  /** Why the path is a relay, in the words the page shows; null for direct paths. */
  relayReason: string | null;
  /** The page's explanation of this session's path or failure (live-explanation.ts); null before there is one. */
  explanation: string | null;
  /** ICE round-trip time of the selected pair, ms. */
  rttMs: number | null;
  /** Data channel ping round trip, ms. */
  dcRttMs: number | null;
  signaling: SessionState["signaling"];
  sessionId: string | null;
  /** ICE restarts asked for in this session (the session id stays the same). */
  iceRestarts: number;
  /** The browser's iceConnectionState. */
  iceState: string | null;
  deviceName: string | null;
  /** performance.now() values. */
  timings: Timings;
  error: { code: string; message: string } | null;
  /** The signed-in account's email, null when signed out (set by the app, not the session). */
  user: string | null;
}

/** What window.__portholeControl resolves with: plain data, so page.evaluate can return it. */
export type PortholeControlOutcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; field?: string } };

declare global {
  interface Window {
    __porthole: PortholeDebug;
    /**
     * Test/debug aid: sends one camera-control request on the live session exactly as the UI
     * would (the camera checks the role as for any request). Absent while no session is live.
     */
    __portholeControl?: (method: ControlMethod, params?: unknown) => Promise<PortholeControlOutcome>;
  }
}

export function snapshot(s: SessionState): Omit<PortholeDebug, "user"> {
  return {
    stage: currentStage(s),
    path: s.path?.label ?? null,
    pathKind: s.path?.kind ?? null,
    relayReason: s.path?.kind === "relay" && s.phase !== "failed" ? (explainLive(s)?.text ?? null) : null,
    explanation: explainLive(s)?.text ?? null,
    rttMs: s.rttMs,
    dcRttMs: s.dcRttMs,
    signaling: s.signaling,
    sessionId: s.sessionId,
    iceRestarts: s.iceRestarts,
    iceState: s.iceState,
    deviceName: s.device?.name ?? null,
    timings: { ...s.timings },
    error: s.error
      ? {
          code: s.error.code,
          message: describeError(s.error.code, {
            ...(s.error.retryAfterSeconds !== undefined ? { retryAfterSeconds: s.error.retryAfterSeconds } : {}),
            ...(s.error.watching !== undefined ? { watching: s.error.watching } : {}),
            ...(s.error.limit !== undefined ? { limit: s.error.limit } : {}),
          }).message,
        }
      : null,
  };
}

export function installDebugHandle(store: SessionStore): void {
  const handle: PortholeDebug = { ...snapshot(store.getState()), user: null };
  window.__porthole = handle;
  store.subscribe((s) => Object.assign(handle, snapshot(s)));
}

/** Records who is signed in on the test handle. */
export function setDebugUser(email: string | null): void {
  if (typeof window !== "undefined" && window.__porthole) window.__porthole.user = email;
}

/** Points window.__portholeControl at the live session's control client (null: removes it). */
export function exposeControlClient(client: ControlClient | null): void {
  if (typeof window === "undefined") return;
  if (!client) {
    delete window.__portholeControl;
    return;
  }
  window.__portholeControl = (method, params = {}) =>
    client.request(method, params as never).then(
      (result): PortholeControlOutcome => ({ ok: true, result }),
      (e: unknown): PortholeControlOutcome =>
        e instanceof ControlRequestError
          ? { ok: false, error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } }
          : { ok: false, error: { code: "internal", message: String(e) } },
    );
}
