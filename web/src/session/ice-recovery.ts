// Why: when the path under live video breaks (a NAT rebinding, a phone moving from Wi-Fi to
// mobile data, a relay allocation lost), the viewer asks the camera for an ICE restart
// (RFC 8445 §9; the camera offers, so it restarts). When to ask, when to ask again and when to
// give up are decisions on a few timestamps: kept here, apart from the sockets and the peer
// connection (viewer-session.ts), so they are unit-tested with plain numbers.

/**
 * ICE "disconnected" this long, or "failed", or a network change, asks for a restart; while ICE
 * stays down we ask again every `retry` (a restart made while the link was still down has
 * nothing to connect over), never twice within `minGap`, and give up with connection_lost after
 * `giveUp`.
 */
export const RESTART_POLICY_MS = {
  disconnectedGrace: 1000,
  retry: 2500,
  minGap: 1000,
  giveUp: 30_000,
} as const;

/**
 * A live session that receives nothing at all for this long (no video, audio, RTCP or data: the
 * transport's byte count stands still) asks for a restart even while the browser still says
 * ICE "connected": after a NAT rebinding or an address change, or with a relay allocation the
 * TURN server dropped, Chromium reports "connected" for seconds with nothing arriving (its own
 * "not receiving" verdict takes 2.5 s). Audio alone brings 50 packets a second and video ~30
 * frames, so a second of silence is not a slow path, and a false alarm costs one restart
 * (~0.1 s, DTLS kept). It was 1.5 s: after an address change that left ~0.7 s for the signaling
 * resume, the restart and a keyframe inside the 3 s target (issue 10; `npm run lab:flap --
 * --readdress` measured 1.9–2.8 s with 1.5 s).
 */
export const MEDIA_STALL_MS = 1000;
/** How often the byte count is read (one getStats per tick also feeds the 1 s stats). */
export const FLOW_CHECK_MS = 200;

export interface RecoveryState {
  /** When ICE (or media) went down; null while it is up. The give-up deadline counts from here. */
  iceDownSince: number | null;
  /** When we last asked for a restart (null: never, or the ask was lost with its socket). */
  lastRestartAt: number | null;
  /** Bytes received on the transport so far, and when they last grew. */
  media: { bytes: number; at: number | null };
}

export function newRecoveryState(): RecoveryState {
  return { iceDownSince: null, lastRestartAt: null, media: { bytes: 0, at: null } };
}

/** What a restart request should do now. */
export type RestartStep = "give-up" | "await-signaling" | "too-soon" | "send";

/** Decides a restart request at `now`; on "send" the state records it (call once per request). */
export function nextRestartStep(s: RecoveryState, now: number, signalingOpen: boolean): RestartStep {
  if (s.iceDownSince !== null && now - s.iceDownSince > RESTART_POLICY_MS.giveUp) return "give-up";
  // Signaling is down too (being resumed): the resume asks again at once (signalingResumed).
  if (!signalingOpen) return "await-signaling";
  if (s.lastRestartAt !== null && now - s.lastRestartAt < RESTART_POLICY_MS.minGap) return "too-soon";
  s.lastRestartAt = now;
  s.iceDownSince ??= now;
  return "send";
}

/** The signaling socket came back: a restart asked on the old one may be lost, so ask again now. */
export function signalingResumed(s: RecoveryState): boolean {
  if (s.iceDownSince === null) return false;
  s.lastRestartAt = null;
  return true;
}

/** ICE reports up (connected/completed) or down (disconnected/failed) at `now`. */
export function iceStateSeen(s: RecoveryState, up: boolean, now: number): void {
  if (up) s.iceDownSince = null;
  else s.iceDownSince ??= now;
}

/**
 * Feeds the transport's received byte count at `now`. "stalled": nothing arrived for
 * MEDIA_STALL_MS on a live session whose ICE looked up — ask for a restart (the deadline counts
 * from the last byte). "flowing": bytes arrive; a restart under way is over once ICE is up.
 */
export function observeMediaFlow(s: RecoveryState, bytes: number, now: number, o: { iceUp: boolean; live: boolean }): "flowing" | "stalled" | "unchanged" {
  if (bytes > s.media.bytes) {
    s.media = { bytes, at: now };
    if (s.iceDownSince !== null && o.iceUp) s.iceDownSince = null;
    return "flowing";
  }
  const stalled = s.media.at !== null && now - s.media.at > MEDIA_STALL_MS;
  if (stalled && s.iceDownSince === null && o.live) {
    s.iceDownSince = s.media.at;
    return "stalled";
  }
  return "unchanged";
}
