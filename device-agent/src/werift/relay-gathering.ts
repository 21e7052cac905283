// Why: werift 0.25 allocates a relay on one TURN URL and falls back from UDP to TCP only after
// the UDP allocation timed out (~6 s), so a camera behind a UDP-blocking or 443-only firewall had
// no relay candidate in time, and a late relay was credited to the UDP URL (issue 10). The agent
// gives werift no TURN URL and gathers relays here instead: the attempts chosen by
// turn-choice.ts (UDP at once, TCP and TLS 443 a moment later unless a relay has arrived), each
// with its own deadline and outcome. Each relay candidate is paired as soon as it exists
// (late-candidates.ts), and a relay allocated in an earlier ICE generation is reused by a restart
// (werift keeps its sockets and re-advertises their candidates, RFC 8445 §9).
import { Candidate, candidateFoundation, candidatePriority, Connection, createStunOverTurnClient, StunOverTurnProtocol } from "werift";
import { pairLateLocalCandidate } from "./late-candidates.ts";
import type { TurnAttempt, TurnTransport } from "../webrtc/turn-choice.ts";
import { releaseAllocation } from "./turn-relay.ts";

/** An allocation not made by then counts as failed (a UDP Allocate retransmits for ~6 s). */
export const RELAY_ALLOCATE_TIMEOUT_MS = 4000;

/**
 * Local preference of each TURN transport's relay candidate (RFC 8445 §5.1.2.1): all relay
 * the same UDP to the peer, but UDP to the TURN server has no head-of-line blocking.
 */
const LOCAL_PREFERENCE: Record<TurnTransport, number> = { udp: 65535, tcp: 32767, tls: 16383 };

export interface RelayPlan {
  attempts: readonly TurnAttempt[];
  timeoutMs?: number;
  /** A relay was allocated on `attempt` after `ms` (from the start of gathering). */
  onAllocated?(attempt: TurnAttempt, ms: number): void;
  /** `attempt` did not allocate by its deadline, or was refused. */
  onFailed?(attempt: TurnAttempt, ms: number, reason: string): void;
  /** `attempt` was not started: a relay had been allocated before its turn came. */
  onSkipped?(attempt: TurnAttempt): void;
}

interface ConnectionInternals {
  state: string;
  iceLite: boolean;
  generation: number;
  localUsername: string;
  protocols: unknown[];
  options: { portRange?: unknown; interfaceAddresses?: unknown };
  ensureProtocol(protocol: unknown): void;
  appendLocalCandidate(candidate: unknown): void;
  getCandidatePromises(addresses: string[], timeout?: number): Promise<unknown>[];
}

interface TurnClient {
  turn: { relayedAddress: [string, number]; mappedAddress: [string, number]; server: [string, number] };
  localCandidate?: unknown;
  close(): Promise<void>;
}

const MARK = Symbol.for("porthole.relay-gathering");
const plans = new WeakMap<object, RelayPlan>();
const serverIps = new WeakMap<object, Set<string>>();

/** Gathers relays for every ICE transport of `pc` with `plan` (call after createOffer, before setLocalDescription). */
export function gatherRelaysWith(pc: { iceTransports: readonly { connection: unknown }[] }, plan: RelayPlan): void {
  for (const t of pc.iceTransports) {
    plans.set(t.connection as object, plan);
    serverIps.set(t.connection as object, new Set(plan.attempts.map((a) => a.host)));
  }
}

/** The TURN servers' IPs a connection relays through (regular-nomination.ts counts them as relays). */
export function relayServerIps(connection: object): ReadonlySet<string> {
  return serverIps.get(connection) ?? new Set();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const isRelaySocket = (p: unknown): boolean => p instanceof StunOverTurnProtocol && Boolean((p as unknown as TurnClient).localCandidate);

export function installRelayGathering(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.getCandidatePromises !== "function" || typeof proto.ensureProtocol !== "function" || typeof proto.appendLocalCandidate !== "function") {
    throw new Error("werift internals changed: review device-agent/src/werift/relay-gathering.ts");
  }
  const getCandidatePromises = proto.getCandidatePromises;
  proto.getCandidatePromises = function (this: ConnectionInternals, addresses: string[], timeout?: number) {
    const promises = getCandidatePromises.call(this, addresses, timeout);
    const plan = plans.get(this);
    if (!plan || this.iceLite || plan.attempts.length === 0) return promises;
    // An ICE restart: gatherCandidates has re-advertised the relay of an earlier generation.
    if (this.protocols.some(isRelaySocket)) return promises;
    promises.push(raceRelays(this, plan));
    return promises;
  };
  proto[MARK] = true;
}

async function raceRelays(c: ConnectionInternals, plan: RelayPlan): Promise<void> {
  const t0 = performance.now();
  const timeoutMs = plan.timeoutMs ?? RELAY_ALLOCATE_TIMEOUT_MS;
  let allocated = false;
  const attempt = async (a: TurnAttempt): Promise<void> => {
    if (a.delayMs > 0) {
      await sleep(a.delayMs);
      if (allocated || c.state === "closed") return plan.onSkipped?.(a);
    }
    const allocation = createStunOverTurnClient(
      { address: [a.host, a.port], username: a.username, password: a.credential },
      { transport: a.transport, connectTimeoutMs: timeoutMs, portRange: c.options.portRange, interfaceAddresses: c.options.interfaceAddresses } as never,
    ) as unknown as Promise<TurnClient>;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      allocation.then((client) => ({ client }), (e: Error) => ({ error: e.message || String(e) })),
      new Promise<{ error: string }>((r) => (timer = setTimeout(() => r({ error: `no allocation within ${timeoutMs} ms` }), timeoutMs))),
    ]);
    clearTimeout(timer);
    const ms = Math.round(performance.now() - t0);
    if (!("client" in outcome)) {
      // One that still completes after its deadline is released at once: it proved nothing in
      // time, and it must not hold a relay port on the server for its lifetime.
      void allocation.then((client) => discard(client), () => {});
      return plan.onFailed?.(a, ms, outcome.error);
    }
    const client = outcome.client;
    if (c.state === "closed") return void discard(client);
    allocated = true;
    c.ensureProtocol(client);
    c.protocols.push(client);
    const [host, port] = client.turn.relayedAddress;
    const [rHost, rPort] = client.turn.mappedAddress;
    const priority = candidatePriority("relay", { transport: "udp", localPreference: LOCAL_PREFERENCE[a.transport] });
    const candidate = new Candidate(candidateFoundation("relay", a.transport, host), 1, "udp", priority, host, port, "relay", rHost, rPort, undefined, c.generation, c.localUsername);
    client.localCandidate = candidate;
    c.appendLocalCandidate(candidate);
    pairLateLocalCandidate(c, client);
    plan.onAllocated?.(a, ms);
  };
  await Promise.allSettled(plan.attempts.map(attempt));
}

async function discard(client: TurnClient): Promise<void> {
  await releaseAllocation(client as unknown as StunOverTurnProtocol, 1000);
  await client.close().catch(() => {});
}
