// Why: a live "try again in N s" for rate limits, without a timer when there is nothing to count.
import { useEffect, useState } from "preact/hooks";

/** Whole seconds left until `untilMs` (Date.now() clock); 0 when past or null. */
export function useCountdown(untilMs: number | null): number {
  const left = () => (untilMs === null ? 0 : Math.max(0, Math.ceil((untilMs - Date.now()) / 1000)));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (untilMs === null) return;
    const t = setInterval(() => {
      const s = left();
      setSeconds(s);
      if (s === 0) clearInterval(t);
    }, 250);
    return () => clearInterval(t);
  }, [untilMs]);
  return seconds;
}
