// Why: a PLI (RFC 4585 §6.3.1) is answered by resending the GOP from its last keyframe, a burst,
// so answers are spaced (one per gapMs). The session's first replay goes out as media starts;
// a PLI soon after it usually means that replay's keyframe did not arrive whole (a lost packet
// NACK could not repair in time: Chromium asks for a keyframe ~200 ms after it has nothing to
// decode). Spacing that first answer a whole second after the start delayed the first frame by
// up to a second on a lossy link (issue 12, item 4), so the first PLI is answered once the
// start replay has had firstGapMs to arrive; later ones keep the full spacing.
export interface PliGate {
  /** Whether a PLI now may resend the GOP (then it counts as sent). `force`: always (ICE restart). */
  allow(force?: boolean): boolean;
}

export function createPliGate(o: { startedAt: number; firstGapMs: number; gapMs: number; now: () => number }): PliGate {
  let last: number | undefined;
  return {
    allow(force = false) {
      const now = o.now();
      const ok = force || (last === undefined ? now - o.startedAt >= o.firstGapMs : now - last >= o.gapMs);
      if (ok) last = now;
      return ok;
    },
  };
}
