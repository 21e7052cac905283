// Why: the camera offers, so werift is the ICE controlling agent, and werift 0.25 nominates
// aggressively on UDP: every connectivity check carries USE-CANDIDATE and the first pair whose
// check succeeds is selected for good (on both sides — Chromium, the controlled agent, takes it
// too). A check through TURN succeeds in one round trip; a direct check across a (port-)
// restricted NAT succeeds only once the viewer's own check has opened the viewer's NAT, so the
// relay sometimes won on pairs that can be punched (issue 4; NAT lab: 0–4 of 13 per run).
//
// Fix: regular nomination for UDP pairs on the controlling side (RFC 8445 §8.1.1), as werift
// already does for TCP pairs. Ordinary checks go out WITHOUT USE-CANDIDATE; when the checks
// have settled enough (decideNomination below), one more check WITH USE-CANDIDATE is sent on the
// chosen valid pair, and that pair concludes ICE when its response arrives. Both sides
// therefore end on the same pair. The choice:
//  - the best valid pair is direct (no relay on either side): nominate it at once — same
//    timing as before on a LAN plus one round trip;
//  - it is relayed and no direct pair is still being checked (all failed, or none exist as
//    when the viewer forces relay): nominate it;
//  - it is relayed and direct pairs are still being checked: wait up to RELAY_HOLD_MS after
//    the first relayed pair became valid for a direct pair to succeed, then nominate the best.
// Unchanged: ICE lite peers, the controlled role, TCP pairs (werift's own regular nomination).
import { Connection } from "werift";

/**
 * How long a valid relayed pair waits for a direct pair still being checked. In the NAT lab
 * (npm run lab) punched pairs became valid at most ~330 ms after the first relayed one; each
 * relay-only session pays this once in time to first frame.
 */
export const RELAY_HOLD_MS = 750;

export type PairStateName = "frozen" | "waiting" | "in-progress" | "succeeded" | "failed";
export interface PairSnapshot {
  state: PairStateName;
  /** A relay candidate on either side. */
  relayed: boolean;
}
/** Index into the pairs to nominate now, or how long to wait before deciding again. */
export type NominationDecision = { nominate: number } | { waitMs: number } | null;

/**
 * Which pair to nominate, given the UDP check list sorted by priority (highest first).
 * `relayValidForMs`: time since the first relayed pair became valid (undefined if none has).
 * null: no valid pair yet, keep checking.
 */
export function decideNomination(
  pairs: readonly PairSnapshot[],
  relayValidForMs: number | undefined,
  relayHoldMs: number = RELAY_HOLD_MS,
): NominationDecision {
  const best = pairs.findIndex((p) => p.state === "succeeded");
  if (best < 0) return null;
  if (!pairs[best]!.relayed) return { nominate: best };
  // Pairs above the best valid one are not valid: each has either failed or may still succeed.
  // Only a direct one is worth waiting for (a viewer that forces relay offers no direct pair).
  const directPending = pairs.slice(0, best).some((p) => !p.relayed && p.state !== "failed");
  if (!directPending) return { nominate: best };
  const waited = relayValidForMs ?? 0;
  if (waited >= relayHoldMs) return { nominate: best };
  return { waitMs: relayHoldMs - waited };
}

// werift internals used below (werift 0.25, node_modules/werift/lib/ice/src/ice.js).
const SUCCEEDED = 3;
const FAILED = 4;
const STATE_NAMES: Record<number, PairStateName> = {
  0: "frozen",
  1: "waiting",
  2: "in-progress",
  3: "succeeded",
  4: "failed",
};
interface Candidate {
  type: string;
  transport: string;
  ufrag?: string;
}
interface Pair {
  state: number;
  nominated: boolean;
  localCandidate: Candidate;
  remoteCandidate: Candidate;
  remoteAddr: [string, number];
  requestsSent: number;
  responsesReceived: number;
  protocol: { request(req: unknown, addr: [string, number], key: Buffer, opts: unknown): Promise<unknown> };
  updateState(state: number): void;
}
interface BuildRequestArgs {
  nominate: boolean;
  localUsername: string;
  remoteUsername: string;
  iceControlling: boolean;
  localCandidate?: Candidate;
}
interface ConnectionInternals {
  iceControlling: boolean;
  remoteIsLite: boolean;
  nominated: Pair | undefined;
  nominating: boolean;
  checkList: Pair[];
  state: string;
  generation: number;
  localUsername: string;
  remoteUsername: string;
  remotePassword: string;
  buildRequest(args: BuildRequestArgs): unknown;
  checkComplete(pair: Pair): void;
  checkRequestOptions(pair: Pair): unknown;
  isStaleNomination(pair: Pair, generation: number): boolean;
  isTcpPair(pair: Pair): boolean;
  nominateTcpPairIfReady(): void;
}
interface NominationState {
  generation: number;
  relayValidAt?: number;
  timer?: NodeJS.Timeout;
}

const MARK = Symbol.for("porthole.regular-nomination");
const states = new WeakMap<object, NominationState>();
/** Pairs whose USE-CANDIDATE check got its response: the only ones allowed to conclude ICE. */
const confirmed = new WeakSet<Pair>();
/** Set while we build our own nominating request, so buildRequest keeps USE-CANDIDATE. */
let buildingNomination = false;

// A peer's relayed check that arrives before its relay candidate is trickled shows up as prflx
// and counts as direct here; its priority is then a direct pair's too, as in werift itself.
const isRelayed = (p: Pair): boolean => p.localCandidate.type === "relay" || p.remoteCandidate.type === "relay";

function applies(c: ConnectionInternals): boolean {
  return c.iceControlling && !c.remoteIsLite;
}

function stateOf(c: ConnectionInternals): NominationState {
  let s = states.get(c);
  if (!s || s.generation !== c.generation) {
    if (s?.timer) clearTimeout(s.timer);
    s = { generation: c.generation };
    states.set(c, s);
  }
  return s;
}

function nominateUdpPair(c: ConnectionInternals, pair: Pair): void {
  c.nominating = true;
  const generation = c.generation;
  let request: unknown;
  buildingNomination = true;
  try {
    request = c.buildRequest({
      nominate: true,
      localUsername: pair.localCandidate.ufrag ?? c.localUsername,
      remoteUsername: c.remoteUsername,
      iceControlling: c.iceControlling,
      localCandidate: pair.localCandidate,
    });
  } finally {
    buildingNomination = false;
  }
  pair.requestsSent++;
  pair.protocol.request(request, pair.remoteAddr, Buffer.from(c.remotePassword, "utf8"), c.checkRequestOptions(pair)).then(
    () => {
      if (c.isStaleNomination(pair, generation)) return;
      pair.responsesReceived++;
      confirmed.add(pair);
      pair.nominated = true;
      c.nominating = false;
      pair.updateState(SUCCEEDED);
      c.checkComplete(pair);
    },
    () => {
      if (c.isStaleNomination(pair, generation)) return;
      c.nominating = false;
      pair.updateState(FAILED);
      c.checkComplete(pair);
    },
  );
}

export function installRegularNomination(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  for (const name of ["buildRequest", "checkComplete", "checkRequestOptions", "isStaleNomination", "isTcpPair", "nominateTcpPairIfReady"] as const) {
    if (typeof proto[name] !== "function") {
      throw new Error(`werift internals changed (${name}): review device-agent/src/webrtc/regular-nomination.ts`);
    }
  }

  // Ordinary UDP checks from the controlling side carry no USE-CANDIDATE.
  const buildRequest = proto.buildRequest;
  proto.buildRequest = function (this: ConnectionInternals, args: BuildRequestArgs) {
    const udp = (args.localCandidate?.transport ?? "udp").toLowerCase() === "udp";
    if (args.nominate && !buildingNomination && udp && applies(this)) args = { ...args, nominate: false };
    return buildRequest.call(this, args);
  };

  // werift's checkStart still marks a UDP pair nominated when its (now plain) check succeeds;
  // undo that unless the pair's nominating check was answered.
  const checkComplete = proto.checkComplete;
  proto.checkComplete = function (this: ConnectionInternals, pair: Pair) {
    if (applies(this) && !this.isTcpPair(pair)) {
      if (pair.nominated && !confirmed.has(pair)) pair.nominated = false;
      if (pair.state === SUCCEEDED && isRelayed(pair)) {
        const s = stateOf(this);
        s.relayValidAt ??= performance.now();
      }
    }
    checkComplete.call(this, pair);
  };

  // Called by checkComplete after every finished check, before it decides whether ICE failed.
  const nominateIfReady = proto.nominateTcpPairIfReady;
  proto.nominateTcpPairIfReady = function (this: ConnectionInternals) {
    nominateIfReady.call(this);
    if (!applies(this) || this.nominated || this.nominating || this.state === "closed") return;
    const udp = this.checkList.filter((p) => !this.isTcpPair(p));
    const s = stateOf(this);
    const decision = decideNomination(
      udp.map((p) => ({ state: STATE_NAMES[p.state] ?? "failed", relayed: isRelayed(p) })),
      s.relayValidAt === undefined ? undefined : performance.now() - s.relayValidAt,
    );
    if (!decision) return;
    if ("nominate" in decision) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = undefined;
      nominateUdpPair(this, udp[decision.nominate]!);
      return;
    }
    if (s.timer) return;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (this.generation !== s.generation || this.state === "closed" || this.nominated || this.nominating) return;
      this.nominateTcpPairIfReady();
    }, decision.waitMs);
    s.timer.unref?.();
  };

  proto[MARK] = true;
}
