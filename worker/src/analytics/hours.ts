// Why: every roll-up row is keyed by the start of a UTC hour (Unix ms); one helper so the
// writers, the readers and the cron agree on it.
import { OPS_HOUR_MS } from "../../../protocol/index.ts";

/** The start of the UTC hour `ms` falls in. */
export function hourOf(ms: number): number {
  return Math.floor(ms / OPS_HOUR_MS) * OPS_HOUR_MS;
}
