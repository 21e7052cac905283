// Why: an agent that gave up on a slow attempt (no welcome within its timer, or its opening
// handshake timed out) may still have that attempt reach the edge later. The edge lets the newest
// camera socket replace an older one (worker/src/hub/device-events.ts onDeviceConnected), so the
// late, abandoned attempt can replace the agent's own newer connection: a 4000 device_replaced
// that is not another agent with our serial. Exiting on it took four demo cameras off a loaded
// edge for good. A replacement soon after an abandoned attempt is retried, a few times at most,
// so two agents really sharing a serial still end (one exits) rather than fight forever.

/** A replacement this soon after an abandoned attempt may be that attempt arriving late. */
export const STALE_ATTEMPT_WINDOW_MS = 60_000;
/** Retries allowed per abandoned attempt before a replacement counts as another agent's. */
export const STALE_REPLACEMENT_RETRIES = 3;

export interface StaleAttemptState {
  /** When this agent last ended an attempt the edge never welcomed (undefined: never). */
  abandonedAt: number | undefined;
  /** Replacements already retried since that abandonment. */
  retried: number;
}

/** True when a device_replaced close should be retried as our own late attempt, not obeyed. */
export function replacedByOwnLateAttempt(s: StaleAttemptState, now: number): boolean {
  return s.abandonedAt !== undefined && now - s.abandonedAt <= STALE_ATTEMPT_WINDOW_MS && s.retried < STALE_REPLACEMENT_RETRIES;
}
