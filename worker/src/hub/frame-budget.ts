// Why: one socket must not be able to keep a camera's hub busy. A Durable Object runs one event
// at a time, so a viewer that sends thousands of valid frames a second queues every other
// viewer's signaling behind its own and has each frame relayed to the camera (issue 14: 10 000
// candidates in 0.6 s delayed a second viewer's session by 9 s). Each socket gets a token bucket
// of frames, checked before a frame is parsed, and each session a cap on the candidates relayed
// for it in either direction. Kept in memory only: after hibernation (a quiet hub) it starts full.
// A viewer's budget is spent in the worker before its frames reach the hub (ws/viewer-pipe.ts,
// which says why); the hub spends it again for its own sockets (a camera's, and as a backstop).

export interface BudgetRule {
  /** Frames a socket may send at once. */
  burst: number;
  /** Frames per second it earns back, up to `burst`. */
  perSecond: number;
}

/**
 * What a socket may send. A viewer's whole session is a hello, an answer, one gathering of
 * candidates (host per interface and address family, srflx per STUN server, relay per TURN URL:
 * about 10–25), a path report and a bye, plus an answer and a gathering per ICE restart; 60 at
 * once and 20 a second is more than twice that. Not more: every frame that passes costs the
 * hub a hibernation event (~1 ms in local workerd) that runs ahead of other viewers' requests.
 * A camera does the same for each of its viewers at once, plus status frames: ten times the
 * burst and six times the rate.
 */
export const FRAME_BUDGETS = {
  viewer: { burst: 60, perSecond: 20 },
  device: { burst: 600, perSecond: 120 },
} as const satisfies Record<"viewer" | "device", BudgetRule>;

/**
 * Candidates relayed for one session in each direction: ten full gatherings (an initial one and
 * nine ICE restarts, RFC 8445 §9). A session that needs more is stuck in a restart loop anyway.
 */
export const MAX_CANDIDATES_PER_SESSION = 256;

/**
 * How the worker's viewer pipe (ws/viewer-pipe.ts), which spends a viewer's budget before the hub
 * sees its frames, closes the hub's socket for a viewer over it: 1008 with a too_many_messages
 * reason. A viewer that sends this close itself only ends its own session early.
 */
export function isOverBudgetClose(code: number, reason: string): boolean {
  return code === 1008 && reason.startsWith("too_many_messages");
}

/** A token bucket over one socket's frames (kept by the caller, one per socket). */
export class TokenBucket {
  private readonly rule: BudgetRule;
  private tokens: number;
  private at: number | undefined;

  constructor(rule: BudgetRule) {
    this.rule = rule;
    this.tokens = rule.burst;
  }

  /** Spends one frame at `now`; false when the bucket is empty (a refused frame spends nothing). */
  take(now: number): boolean {
    if (this.at !== undefined) this.tokens = Math.min(this.rule.burst, this.tokens + ((now - this.at) * this.rule.perSecond) / 1000);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export type CandidateDirection = "to-device" | "to-viewer";

/** The hub's budgets: a bucket per socket and a candidate count per session and direction. */
export class FrameBudget {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly candidates = new Map<string, number>();
  private readonly rules: Record<"viewer" | "device", BudgetRule>;
  private readonly maxCandidates: number;

  constructor(rules: Record<"viewer" | "device", BudgetRule> = FRAME_BUDGETS, maxCandidates = MAX_CANDIDATES_PER_SESSION) {
    this.rules = rules;
    this.maxCandidates = maxCandidates;
  }

  /** Spends one frame of socket `connId`'s budget at `now`; false when the bucket is empty. */
  admit(connId: string, role: "viewer" | "device", now: number): boolean {
    let bucket = this.buckets.get(connId);
    if (!bucket) this.buckets.set(connId, (bucket = new TokenBucket(this.rules[role])));
    return bucket.take(now);
  }

  /** Counts one candidate relayed for `sessionId`; false once the session has had its cap. */
  relayCandidate(sessionId: string, direction: CandidateDirection): boolean {
    const key = `${direction}|${sessionId}`;
    const n = this.candidates.get(key) ?? 0;
    if (n >= this.maxCandidates) return false;
    this.candidates.set(key, n + 1);
    return true;
  }

  forgetSocket(connId: string): void {
    this.buckets.delete(connId);
  }

  forgetSession(sessionId: string): void {
    this.candidates.delete(`to-device|${sessionId}`);
    this.candidates.delete(`to-viewer|${sessionId}`);
  }
}
