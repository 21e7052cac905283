// Why: what "40 ms RTT, 2 % loss" means in the lab, in one place. Both routers' WAN links get
// the same delay element (lab/link-delay.ts), so a packet between the two homes crosses two
// delayed links each way: the round trip between camera and viewer is 4 × the one-way delay per
// link, and between a home and the servers it is half that. `--rtt-ms` names the first, the
// figure issue 12's targets are written in ("40 and 150 ms RTT" between camera and viewer).

export interface LinkConditions {
  /** Delay added to every frame, each direction, on each router's WAN link. */
  oneWayDelayMs: number;
  /**
   * Chance (percent) that a frame leaving a home is lost, on each router's WAN egress only — so a
   * packet between the two homes is lost with this probability each way (not twice it), as the
   * nftables `numgen random mod 100 < N drop` rule that shared/notes/field.md measured did.
   */
  lossPct: number;
}

/** Links the lab's flags ask for: the round trip between the two homes, and loss. */
export function conditionsForRtt(rttMs: number, lossPct = 0): LinkConditions {
  return { oneWayDelayMs: rttMs / 4, lossPct };
}

/** Round trip between the two homes (camera ↔ viewer) under these conditions. */
export const homeToHomeRttMs = (c: LinkConditions): number => c.oneWayDelayMs * 4;
/** Round trip between a home and the servers (edge, coturn). */
export const homeToServerRttMs = (c: LinkConditions): number => c.oneWayDelayMs * 2;

/** One line for a run's output, e.g. "40 ms RTT camera↔viewer (20 ms to the servers), 2 % loss each WAN egress". */
export function describeConditions(c: LinkConditions | undefined): string {
  if (!c || (c.oneWayDelayMs === 0 && c.lossPct === 0)) return "no added delay or loss";
  const rtt = `${homeToHomeRttMs(c)} ms RTT camera↔viewer (${homeToServerRttMs(c)} ms to the servers)`;
  return `${rtt}, ${c.lossPct} % loss on each WAN egress`;
}

/** The record grid.json carries for a run with added delay or loss (snake_case like the rest). */
export function conditionsRecord(c: LinkConditions): { rtt_ms: number; one_way_delay_ms: number; loss_pct: number } {
  return { rtt_ms: homeToHomeRttMs(c), one_way_delay_ms: c.oneWayDelayMs, loss_pct: c.lossPct };
}

/** Null when the flags make sense, else what is wrong with them. */
export function conditionsProblem(rttMs: number | undefined, lossPct: number | undefined): string | null {
  if (rttMs !== undefined && !(Number.isFinite(rttMs) && rttMs >= 0 && rttMs <= 2000)) return "--rtt-ms takes milliseconds from 0 to 2000";
  if (lossPct !== undefined && !(Number.isFinite(lossPct) && lossPct >= 0 && lossPct <= 50)) return "--loss-pct takes a percentage from 0 to 50";
  return null;
}

/**
 * Parses the lab's --rtt-ms / --loss-pct flags. No conditions when neither was given: then the
 * lab has no delay element at all and behaves exactly as without this feature.
 */
export function conditionsFromFlags(rtt: string | undefined, loss: string | undefined): { conditions?: LinkConditions; problem?: string } {
  if (rtt === undefined && loss === undefined) return {};
  const rttMs = rtt === undefined ? 0 : Number(rtt);
  const lossPct = loss === undefined ? 0 : Number(loss);
  const problem = conditionsProblem(rttMs, lossPct);
  return problem ? { problem } : { conditions: conditionsForRtt(rttMs, lossPct) };
}
