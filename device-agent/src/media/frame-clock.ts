// Why: setInterval drifts and bunches under load; this schedules tick n at start + n·period
// against a monotonic clock, and skips ahead (rather than bursting) after a long stall.

export interface FrameClock {
  stop(): void;
}

export function startFrameClock(periodMs: number, tick: (n: number) => void, now: () => number = () => performance.now()): FrameClock {
  let start = now();
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const loop = (): void => {
    if (stopped) return;
    const t = now();
    // More than a second behind (suspend, debugger): resynchronise instead of catching up.
    if (t - (start + n * periodMs) > 1000) start = t - n * periodMs;
    while (!stopped && start + n * periodMs <= t) {
      tick(n);
      n++;
    }
    if (!stopped) timer = setTimeout(loop, Math.max(0, start + n * periodMs - now()));
  };
  loop();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
