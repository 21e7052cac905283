// Why: web/ and device-agent/ both reconnect to the edge; one pure, injectable policy keeps
// their backoff identical and testable with fake timers (livekit's ReconnectPolicy shape).

/** What a policy sees when a connection attempt failed or a live connection dropped. */
export interface ReconnectContext {
  /** Attempts made since the last stable connection (0 for the first retry). */
  retryCount: number;
  /** Milliseconds since the connection was lost (or since the first attempt). */
  elapsedMs: number;
  /** Stable error code or short text describing the last failure, if known. */
  lastError?: string;
}

export interface ReconnectPolicy {
  /** Delay before the next attempt, or null to stop retrying. */
  nextRetryDelayInMs(ctx: ReconnectContext): number | null;
}

/** Default delays: quick first retries (a deploy or blip), then settle near 30 s. */
export const DEFAULT_RECONNECT_DELAYS_MS: readonly number[] = [
  0, 300, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000,
];

export interface DefaultReconnectPolicyOptions {
  /** Delay table indexed by retryCount; the last entry repeats. */
  delaysMs?: readonly number[];
  /** Max random extra delay as a fraction of the base delay (spreads a fleet's reconnects). */
  jitterRatio?: number;
  /** Give up after this much time offline (null: never give up — a camera should keep trying). */
  maxElapsedMs?: number | null;
  /** Injected randomness in [0, 1) so tests are deterministic. */
  random?: () => number;
}

/** A delay table plus proportional jitter ("full jitter" would allow 0 s storms after an outage). */
export function createDefaultReconnectPolicy(options: DefaultReconnectPolicyOptions = {}): ReconnectPolicy {
  const delays = options.delaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
  const jitterRatio = options.jitterRatio ?? 0.3;
  const maxElapsedMs = options.maxElapsedMs ?? null;
  const random = options.random ?? Math.random;
  if (delays.length === 0) throw new Error("delaysMs must not be empty");
  return {
    nextRetryDelayInMs(ctx: ReconnectContext): number | null {
      if (maxElapsedMs !== null && ctx.elapsedMs >= maxElapsedMs) return null;
      const index = Math.min(Math.max(0, ctx.retryCount), delays.length - 1);
      const base = delays[index] ?? 0;
      return Math.round(base + base * jitterRatio * random());
    },
  };
}
