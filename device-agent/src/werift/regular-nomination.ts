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
//  - a direct pair (no relay on either side) is valid: nominate the best such pair at once —
//    same timing as before on a LAN plus one round trip;
//  - only relayed pairs are valid and no direct pair is still being checked (all failed, or
//    none exist as when the viewer forces relay): nominate the best relayed one;
//  - only relayed pairs are valid and direct pairs are still being checked: wait up to
//    RELAY_HOLD_MS after the first relayed pair became valid for a direct pair to succeed;
//  - a relayed pair through a relay the viewer ranks higher (UDP over TCP) is still being
//    checked: wait a few round trips for it (betterRelayHoldMs).
// Relayed means a relay candidate on either side, or a peer-reflexive address that is a TURN
// relay's (isRelayedPair). Each connect logs the trace of this choice (session_ice_nomination).
// Unchanged: ICE lite peers, the controlled role, TCP pairs (werift's own regular nomination).
import { Connection } from "werift";
import { PAIR_STATES } from "./private-names.ts";
import { relayServerIps } from "./relay-gathering.ts";

/**
 * How long a valid relayed pair waits for a direct pair still being checked. In the NAT lab
 * (npm run lab, 18 runs: 234 punched sessions) direct pairs became valid at most 417 ms after
 * the first relayed one, most within 35 ms; each relay-only session pays this once in time to
 * first frame.
 */
export const RELAY_HOLD_MS = 750;
/**
 * On a long path the direct pair needs several round trips more than the relay (the camera's
 * srflx candidate reaches the viewer through the edge, the viewer's check comes back, the
 * camera's triggered check goes round), so the hold is at least this many of the relayed pair's
 * measured round trips: at 150 ms RTT the NAT lab's restricted-cone → symmetric pair was
 * relayed when the 750 ms ran out (issue 12).
 */
export const RELAY_HOLD_RTTS = 10;
/** The hold never grows past this, whatever a slow relay measured. */
export const RELAY_HOLD_MAX_MS = 3000;

/** How long a valid relayed pair waits for a direct one, given that relayed pair's check RTT (ms). */
export function relayHoldMs(relayRttMs: number | undefined): number {
  if (relayRttMs === undefined || !Number.isFinite(relayRttMs) || relayRttMs <= 0) return RELAY_HOLD_MS;
  return Math.min(RELAY_HOLD_MAX_MS, Math.max(RELAY_HOLD_MS, Math.round(RELAY_HOLD_RTTS * relayRttMs)));
}
/**
 * The hold in the ICE generation after a move to a direct path was asked for (a direct pair has
 * just been proven to work): the relay keeps carrying media meanwhile (restart-bridge.ts), so
 * waiting longer for the direct pair costs nothing the viewer sees, and taking the relay again
 * would waste the move.
 */
export const DIRECT_MOVE_HOLD_MS = 4000;

export type PairStateName = "frozen" | "waiting" | "in-progress" | "succeeded" | "failed";
export interface PairSnapshot {
  state: PairStateName;
  /** A relay candidate on either side. */
  relayed: boolean;
  /**
   * When the remote (viewer's) candidate is itself a relay candidate: its ICE priority (RFC 8445
   * §5.1.2), which ranks the viewer's relays (UDP above TCP above TLS). Absent for any other
   * remote candidate — a pair through our relay to the viewer's host or srflx address is not a
   * better relay of the viewer's, and waiting for one (it rarely answers behind a NAT) cost every
   * relay-only session in the NAT lab 150–220 ms.
   */
  remotePriority?: number;
}
/** Index into the pairs to nominate now, or how long to wait before deciding again. */
export type NominationDecision = { nominate: number } | { waitMs: number } | null;

/**
 * Which pair to nominate, given the UDP check list sorted by priority (highest first).
 * `heldMs`: how long the hold has run — since the first relayed pair became valid or, if later,
 * since the first direct pair appeared (a direct pair formed late gets its full chance);
 * undefined if no relayed pair is valid yet. `remoteComplete`: the peer has said
 * end-of-candidates (RFC 8838 §8.2); until then a direct candidate may still arrive.
 * null: no valid pair yet, keep checking.
 */
export function decideNomination(
  pairs: readonly PairSnapshot[],
  heldMs: number | undefined,
  remoteComplete = true,
  relayHoldMs: number = RELAY_HOLD_MS,
  betterRelayHoldMs: number = BETTER_RELAY_HOLD_MIN_MS,
): NominationDecision {
  const direct = pairs.findIndex((p) => p.state === "succeeded" && !p.relayed);
  if (direct >= 0) return { nominate: direct };
  const best = pairs.findIndex((p) => p.state === "succeeded");
  if (best < 0) return null;
  // A direct pair is worth the full hold (a viewer that forces relay offers none and says
  // end-of-candidates). Usually every direct pair ranks above the relayed ones, but a relayed
  // check learned as prflx ranks above the srflx pairs, so look at the whole list.
  const directPending = pairs.some((p) => !p.relayed && p.state !== "failed");
  let holdMs = directPending || !remoteComplete ? relayHoldMs : 0;
  // A relay the viewer ranks higher (its UDP relay above its TURN-over-TCP one, RFC 8445 §5.1.2.1
  // local preference) still being checked is worth a short wait: TCP carries the video with
  // head-of-line blocking, so the path must not get worse because its check answered first.
  if (betterRelayPending(pairs, best)) holdMs = Math.max(holdMs, betterRelayHoldMs);
  const waited = heldMs ?? 0;
  if (waited >= holdMs) return { nominate: best };
  return { waitMs: holdMs - waited };
}

const pending = (p: PairSnapshot): boolean => p.state !== "failed" && p.state !== "succeeded";

/** A pair still being checked through a viewer relay that ranks above the viewer relay of pairs[best]. */
function betterRelayPending(pairs: readonly PairSnapshot[], best: number): boolean {
  const floor = pairs[best]?.remotePriority;
  if (floor === undefined) return false;
  return pairs.some((p) => p.relayed && pending(p) && p.remotePriority !== undefined && p.remotePriority > floor);
}

/**
 * How long a valid relayed pair waits for a relayed pair through a better viewer relay: four of
 * its round trips, at least BETTER_RELAY_HOLD_MIN_MS (a check paced behind others starts up to a
 * few Ta later, RFC 8445 §14.2), never more than the direct hold.
 */
export const BETTER_RELAY_HOLD_MIN_MS = 150;
export function betterRelayHoldMs(relayRttMs: number | undefined): number {
  const rtt = relayRttMs !== undefined && Number.isFinite(relayRttMs) && relayRttMs > 0 ? relayRttMs : 0;
  return Math.min(RELAY_HOLD_MS, Math.max(BETTER_RELAY_HOLD_MIN_MS, Math.round(4 * rtt)));
}

/**
 * Whether a pair that just became valid should move a session off its nominated pair: only from
 * a relay to a direct path (RFC 8445 §8.1.1 lets the controlling agent nominate once per ICE
 * generation, so the move is a new ICE restart, §9). A relay was nominated because the direct
 * pair was not valid yet — the hold ran out, or the viewer's candidates came late — but the
 * viewer keeps checking every pair (its checks trigger ours, RFC 8445 §7.3.1.4), so a direct
 * pair that succeeds afterwards proves the holes are open now.
 */
export function shouldMoveToDirect(nominatedRelayed: boolean, validPairRelayed: boolean): boolean {
  return nominatedRelayed && !validPairRelayed;
}

// werift internals used below (werift 0.25, node_modules/werift/lib/ice/src/ice.js).
const { WAITING, SUCCEEDED, FAILED } = PAIR_STATES;
/** Ta, the pacing of ordinary checks (RFC 8445 §14.2), as werift uses. */
const TA_MS = 20;
/**
 * While a session is relayed its direct pairs are checked again this often, this many times
 * (bounded: ~10 s of a few checks each round). A first check can be dropped by the viewer's NAT
 * before the viewer's own check has opened it; a later round gets through.
 */
const DIRECT_RECHECK_MS = 2000;
const DIRECT_RECHECKS = 5;
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
  host: string;
  port: number;
  priority?: number;
  ufrag?: string;
}
interface Pair {
  state: number;
  handle?: unknown;
  nominated: boolean;
  localCandidate: Candidate;
  remoteCandidate: Candidate;
  remoteAddr: [string, number];
  requestsSent: number;
  responsesReceived: number;
  /** Seconds: the last check's round trip, once one succeeded (werift CandidatePair.rtt). */
  rtt?: number;
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
  remoteCandidatesEnd: boolean;
  localCandidates: Candidate[];
  remoteCandidates: Candidate[];
  /** [host, port] of the TURN server in use (werift takes the first turn: URL). */
  turnServer?: [string, number];
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
  addRemoteCandidate(candidate: Candidate | undefined): Promise<void>;
  /** Instance property in werift (not on the prototype): starts one connectivity check. */
  checkStart(pair: Pair): unknown;
}
interface NominationState {
  generation: number;
  relayValidAt?: number;
  /** When the check list first held a direct pair. */
  directSeenAt?: number;
  timer?: NodeJS.Timeout;
  /** First check of this generation: the trace's zero. */
  t0?: number;
  /** What the checks and the decision did, for the session log (see onNomination). */
  trace: string[];
  /** A direct pair was found valid after a relay was nominated (told once per generation). */
  directAfterRelay?: boolean;
}

/** Trace lines kept per ICE generation; a LAN session needs about 5, a relayed one 10–20. */
const TRACE_MAX = 40;

const MARK = Symbol.for("porthole.regular-nomination");
const states = new WeakMap<object, NominationState>();
/** Pairs whose USE-CANDIDATE check got its response: the only ones allowed to conclude ICE. */
const confirmed = new WeakSet<Pair>();
/** Set while we build our own nominating request, so buildRequest keeps USE-CANDIDATE. */
let buildingNomination = false;

export interface CandidateView {
  type: string;
  host: string;
  port: number;
}
/** What this side knows to be TURN relays: relay IPs (ours, the TURN servers') and the peer's relay candidates. */
export interface KnownRelays {
  ips: ReadonlySet<string>;
  /** "host:port" of every relay candidate the peer has trickled. */
  addresses: ReadonlySet<string>;
}

/**
 * Whether a pair goes through a TURN server. A peer's check sent from its relay candidate can
 * arrive before that candidate is trickled (the check races the signaling); werift then learns
 * the sender as a peer-reflexive candidate (RFC 8445 §7.3.1.3) with a prflx priority, above
 * every srflx pair. Counted as direct, it was nominated at once — the NAT lab's rare
 * restricted→restricted pair over TURN with a normal time to first frame. So a prflx address
 * on a known relay IP, or equal to a relay candidate trickled since, is relayed.
 */
export function isRelayedPair(local: CandidateView, remote: CandidateView, known: KnownRelays): boolean {
  if (local.type === "relay" || remote.type === "relay") return true;
  if (remote.type !== "prflx") return false;
  if (known.addresses.has(`${remote.host}:${remote.port}`)) return true;
  // By IP alone only off loopback: a development coturn on 127.0.0.1 shares its address with
  // every direct check between two processes on the same machine.
  return known.ips.has(remote.host) && !isLoopback(remote.host);
}

const isLoopback = (host: string): boolean => host.startsWith("127.") || host === "::1";

function knownRelays(c: ConnectionInternals): KnownRelays {
  const ips = new Set<string>();
  for (const l of c.localCandidates) if (l.type === "relay") ips.add(l.host);
  if (c.turnServer) ips.add(c.turnServer[0]);
  for (const ip of relayServerIps(c)) ips.add(ip);
  const addresses = new Set<string>();
  for (const r of c.remoteCandidates) if (r.type === "relay") addresses.add(`${r.host}:${r.port}`);
  return { ips, addresses };
}

function applies(c: ConnectionInternals): boolean {
  return c.iceControlling && !c.remoteIsLite;
}

function stateOf(c: ConnectionInternals): NominationState {
  let s = states.get(c);
  if (!s || s.generation !== c.generation) {
    if (s?.timer) clearTimeout(s.timer);
    s = { generation: c.generation, trace: [] };
    states.set(c, s);
  }
  return s;
}

const pairName = (p: Pair): string =>
  `${p.localCandidate.type}>${p.remoteCandidate.type}:${p.remoteCandidate.host}:${p.remoteCandidate.port}`;

function note(s: NominationState, line: string): void {
  if (s.trace.length >= TRACE_MAX) return;
  const ms = s.t0 === undefined ? 0 : Math.round(performance.now() - s.t0);
  s.trace.push(`+${ms} ${line}`);
}

/** The pairs still worth waiting for, as the trace shows them. */
function pendingDirect(pairs: readonly Pair[], relayed: (p: Pair) => boolean): string {
  const names = pairs.filter((p) => !relayed(p) && p.state !== FAILED && p.state !== SUCCEEDED).map((p) => `${pairName(p)}(${STATE_NAMES[p.state]},sent ${p.requestsSent})`);
  return names.length ? names.join(" ") : "none";
}

const nominationListeners = new WeakMap<object, (trace: string) => void>();
const directPathListeners = new WeakMap<object, (pair: string) => void>();
/** Connections asked to move to a direct path: the generation the move was asked in. */
const moveAskedIn = new WeakMap<object, number>();

/**
 * Connections whose first generation expects no direct path (both NATs known, predictPath says
 * relay): their relay is not held. A direct pair that succeeds anyway is still taken first — it
 * wins decideNomination whenever it is valid — and a later one moves the session (path upgrade),
 * so a wrong prediction costs time once, never the path.
 */
const relayOnlyIn = new WeakMap<object, number>();

/** `pc`'s first ICE generation nominates a valid relayed pair without RELAY_HOLD_MS (call once the offer is made). */
export function expectRelayOnly(pc: { iceTransports: readonly { connection: unknown }[] }): void {
  for (const t of pc.iceTransports) {
    const c = t.connection as ConnectionInternals;
    relayOnlyIn.set(c, c.generation);
  }
}

/** The next ICE generation of `pc` holds a relay DIRECT_MOVE_HOLD_MS for a direct pair (call before the restart). */
export function expectDirectPath(pc: { iceTransports: readonly { connection: unknown }[] }): void {
  for (const t of pc.iceTransports) {
    const c = t.connection as ConnectionInternals;
    moveAskedIn.set(c, c.generation);
  }
}

/**
 * Calls `listener` when, on a session nominated on a relay, a direct pair becomes valid (once
 * per ICE generation): the camera then restarts ICE to move the session there (peer-session.ts).
 */
export function onDirectPathAfterRelay(pc: { iceTransports: readonly { connection: unknown }[] }, listener: (pair: string) => void): void {
  for (const t of pc.iceTransports) directPathListeners.set(t.connection as object, listener);
}

/**
 * Calls `listener` each time a UDP pair of `pc` is nominated — at the first connect and after
 * every ICE restart (werift keeps the Connection, with a new generation) — with the trace:
 * when each check finished, how long a valid relayed pair was held, and which direct pairs were
 * still pending when the choice was made. Register once the offer is made (the transport
 * exists then).
 */
export function onNomination(pc: { iceTransports: readonly { connection: unknown }[] }, listener: (trace: string) => void): void {
  for (const t of pc.iceTransports) nominationListeners.set(t.connection as object, listener);
}

/** The round trip (ms) the first valid relayed pair measured, if any. */
function relayRttMs(pairs: readonly Pair[], relayed: (p: Pair) => boolean): number | undefined {
  const rtt = pairs.find((p) => p.state === SUCCEEDED && relayed(p))?.rtt;
  return rtt === undefined ? undefined : rtt * 1000;
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
      const s = stateOf(c);
      note(s, `nominated ${pairName(pair)}`);
      nominationListeners.get(c)?.(s.trace.join("; "));
      confirmed.add(pair);
      pair.nominated = true;
      c.nominating = false;
      pair.updateState(SUCCEEDED);
      c.checkComplete(pair);
      // Relayed: keep looking for the direct path (a success moves the session, onDirectPathAfterRelay).
      if (c.nominated === pair && isRelayedPair(pair.localCandidate, pair.remoteCandidate, knownRelays(c))) keepCheckingDirect(c, pair);
    },
    () => {
      if (c.isStaleNomination(pair, generation)) return;
      note(stateOf(c), `nomination of ${pairName(pair)} got no answer`);
      c.nominating = false;
      pair.updateState(FAILED);
      c.checkComplete(pair);
    },
  );
}

/**
 * A session nominated on a relay before the viewer's candidates arrived (they came late) never
 * checks the direct pairs they form: ICE is concluded for the generation, and werift's pacing
 * has stopped (werift-shims.ts). Behind a (port-)restricted camera NAT the viewer's own checks
 * cannot open the way, so nothing would ever find the direct path. Check each such pair once,
 * paced by Ta (RFC 8445 §6.1.4.2): one that succeeds moves the session there (onDirectPathAfterRelay).
 */
function checkDirectPairs(c: ConnectionInternals, pairs: readonly Pair[], nominated: Pair): void {
  pairs.forEach((pair, i) => {
    const t = setTimeout(() => {
      if (c.state !== "closed" && c.nominated === nominated && (pair.state === WAITING || pair.state === FAILED)) pair.handle = c.checkStart(pair);
    }, i * TA_MS);
    t.unref?.();
  });
}

/** Rounds of checks on the direct pairs of a session nominated on a relay (see DIRECT_RECHECK_MS). */
function keepCheckingDirect(c: ConnectionInternals, nominated: Pair): void {
  let rounds = 0;
  const round = (): void => {
    if (c.state === "closed" || c.nominated !== nominated || ++rounds > DIRECT_RECHECKS) return;
    const known = knownRelays(c);
    const direct = c.checkList.filter((p) => p !== nominated && !c.isTcpPair(p) && (p.state === WAITING || p.state === FAILED) && !isRelayedPair(p.localCandidate, p.remoteCandidate, known));
    checkDirectPairs(c, direct, nominated);
    setTimeout(round, DIRECT_RECHECK_MS).unref?.();
  };
  setTimeout(round, DIRECT_RECHECK_MS).unref?.();
}

function checkLateDirectPairs(c: ConnectionInternals, before: ReadonlySet<Pair>): void {
  const nominated = c.nominated;
  if (!nominated) return;
  const known = knownRelays(c);
  if (!isRelayedPair(nominated.localCandidate, nominated.remoteCandidate, known)) return;
  const fresh = c.checkList.filter((p) => !before.has(p) && p.state === WAITING && !c.isTcpPair(p) && !isRelayedPair(p.localCandidate, p.remoteCandidate, known));
  checkDirectPairs(c, fresh, nominated);
}

export function installRegularNomination(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  for (const name of ["buildRequest", "checkComplete", "checkRequestOptions", "isStaleNomination", "isTcpPair", "nominateTcpPairIfReady", "addRemoteCandidate"] as const) {
    if (typeof proto[name] !== "function") {
      throw new Error(`werift internals changed (${name}): review device-agent/src/werift/regular-nomination.ts`);
    }
  }

  // Ordinary UDP checks from the controlling side carry no USE-CANDIDATE.
  const buildRequest = proto.buildRequest;
  proto.buildRequest = function (this: ConnectionInternals, args: BuildRequestArgs) {
    const udp = (args.localCandidate?.transport ?? "udp").toLowerCase() === "udp";
    if (args.nominate && !buildingNomination && udp && applies(this)) {
      args = { ...args, nominate: false };
      stateOf(this).t0 ??= performance.now();
    }
    return buildRequest.call(this, args);
  };

  // werift's checkStart still marks a UDP pair nominated when its (now plain) check succeeds;
  // undo that unless the pair's nominating check was answered.
  const checkComplete = proto.checkComplete;
  proto.checkComplete = function (this: ConnectionInternals, pair: Pair) {
    if (applies(this) && !this.isTcpPair(pair)) {
      if (pair.nominated && !confirmed.has(pair)) pair.nominated = false;
      const s = stateOf(this);
      const known = knownRelays(this);
      if (pair.state === SUCCEEDED && isRelayedPair(pair.localCandidate, pair.remoteCandidate, known)) s.relayValidAt ??= performance.now();
      if ((pair.state === SUCCEEDED || pair.state === FAILED) && !confirmed.has(pair)) {
        note(s, `${pairName(pair)} ${STATE_NAMES[pair.state]} after ${pair.requestsSent} sent`);
      }
    }
    checkComplete.call(this, pair);
    const nominated = this.nominated;
    if (applies(this) && nominated && pair !== nominated && pair.state === SUCCEEDED && !this.isTcpPair(pair)) {
      const known = knownRelays(this);
      const s = stateOf(this);
      if (!s.directAfterRelay && shouldMoveToDirect(isRelayedPair(nominated.localCandidate, nominated.remoteCandidate, known), isRelayedPair(pair.localCandidate, pair.remoteCandidate, known))) {
        s.directAfterRelay = true;
        directPathListeners.get(this)?.(pairName(pair));
      }
    }
  };

  // Called by checkComplete after every finished check, before it decides whether ICE failed.
  const nominateIfReady = proto.nominateTcpPairIfReady;
  proto.nominateTcpPairIfReady = function (this: ConnectionInternals) {
    nominateIfReady.call(this);
    if (!applies(this) || this.nominated || this.nominating || this.state === "closed") return;
    const udp = this.checkList.filter((p) => !this.isTcpPair(p));
    const s = stateOf(this);
    const known = knownRelays(this);
    const relayed = (p: Pair): boolean => isRelayedPair(p.localCandidate, p.remoteCandidate, known);
    const now = performance.now();
    if (s.directSeenAt === undefined && udp.some((p) => !relayed(p))) s.directSeenAt = now;
    const holdFrom = s.relayValidAt === undefined ? undefined : Math.max(s.relayValidAt, s.directSeenAt ?? 0);
    const asked = moveAskedIn.get(this);
    const holdMs = asked !== undefined && asked + 1 === this.generation ? DIRECT_MOVE_HOLD_MS : relayOnlyIn.get(this) === this.generation ? 0 : relayHoldMs(relayRttMs(udp, relayed));
    const rtt = relayRttMs(udp, relayed);
    const decision = decideNomination(
      udp.map((p) => ({
        state: STATE_NAMES[p.state] ?? "failed",
        relayed: relayed(p),
        ...(p.remoteCandidate.type === "relay" && p.remoteCandidate.priority !== undefined ? { remotePriority: p.remoteCandidate.priority } : {}),
      })),
      holdFrom === undefined ? undefined : now - holdFrom,
      this.remoteCandidatesEnd,
      holdMs,
      betterRelayHoldMs(rtt),
    );
    if (!decision) return;
    if ("nominate" in decision) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = undefined;
      const pair = udp[decision.nominate]!;
      const held = s.relayValidAt === undefined ? "" : ` relay valid ${Math.round(now - s.relayValidAt)} ms;`;
      note(s, `nominate ${pairName(pair)};${held} pending direct: ${pendingDirect(udp, relayed)}`);
      nominateUdpPair(this, pair);
      return;
    }
    if (s.timer) return;
    note(s, `hold relay ${Math.round(decision.waitMs)} ms; pending direct: ${pendingDirect(udp, relayed)}${this.remoteCandidatesEnd ? "" : "; candidates still coming"}`);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (this.generation !== s.generation || this.state === "closed" || this.nominated || this.nominating) return;
      this.nominateTcpPairIfReady();
    }, decision.waitMs);
    s.timer.unref?.();
  };

  // The peer's end-of-candidates may be what the decision waited for (a viewer that forces
  // relay): decide again at once rather than at the end of the hold.
  const addRemoteCandidate = proto.addRemoteCandidate;
  proto.addRemoteCandidate = async function (this: ConnectionInternals, candidate: Candidate | undefined) {
    const before = new Set(this.checkList);
    await addRemoteCandidate.call(this, candidate);
    if (!candidate && applies(this)) this.nominateTcpPairIfReady();
    if (candidate && applies(this) && this.nominated) checkLateDirectPairs(this, before);
  };

  proto[MARK] = true;
}
