// Why: measures round trips over the control data channel (viewer → device → viewer), the
// latency the camera's controls will have, next to ICE's own RTT from getStats().

export interface PingTracker {
  /** A new ping to send, remembered until its pong arrives. */
  next(now: number): { type: "ping"; id: number; t: number };
  /** The RTT in ms for a pong, or null when it answers no ping we are waiting for. */
  answer(pong: { id: number; t: number }, now: number): number | null;
}

/** Keeps at most `maxOutstanding` unanswered pings so a silent peer cannot grow memory. */
export function createPingTracker(maxOutstanding = 8): PingTracker {
  let nextId = 1;
  const outstanding = new Map<number, number>();
  return {
    next(now) {
      const id = nextId++;
      outstanding.set(id, now);
      for (const key of outstanding.keys()) {
        if (outstanding.size <= maxOutstanding) break;
        outstanding.delete(key);
      }
      return { type: "ping", id, t: now };
    },
    answer(pong, now) {
      const sentAt = outstanding.get(pong.id);
      if (sentAt === undefined) return null;
      outstanding.delete(pong.id);
      return Math.max(0, Math.round(now - sentAt));
    },
  };
}
