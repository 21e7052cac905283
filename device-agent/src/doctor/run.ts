// Why: the order and the dependencies of the checks in one place: DNS before the edge, the edge
// before the token and the clock, the edge's answer before STUN/TURN (it hands out the servers
// and their short-lived credentials). Everything that touches the world comes in through
// DoctorDeps, so tests can set the clock 10 minutes off or fake any outcome.
import type { IceServer } from "../../../protocol/index.ts";
import { isLoopbackEdge } from "../signaling/edge-url.ts";
import { chooseIceServers, createTurnHealth, type TurnTransport } from "../webrtc/turn-choice.ts";
import { evaluateClock, type EdgeTime } from "./clock.ts";
import { edgeHost, evaluateDns, isIpLiteral, probeDns } from "./dns.ts";
import { evaluateEdgeHttps, httpOrigin } from "./edge-https.ts";
import { evaluateEdgeWebSocket, type WsProbe } from "./edge-websocket.ts";
import { evaluateNat, type NatOutcome, type NatSummary } from "./nat.ts";
import { evaluateNetwork, type NetworkFacts } from "./network.ts";
import { askEdge, parseStunUrl, probeHttp, type Fetch } from "./probes.ts";
import { evaluateRelays, type RelayFacts, type StunOutcome, type TurnOutcome } from "./relays.ts";
import { evaluateToken, readTokenClaims, type EdgeTokenVerdict } from "./token.ts";
import { check, exitCodeOf, type CheckResult, type DoctorReport } from "./types.ts";

export interface DoctorInput {
  edge: string;
  serial: string;
  token: string;
  /** --ice-servers: test these instead of what the edge hands out. */
  iceServersOverride?: IceServer[];
}

export interface DoctorDeps {
  /** The camera's clock (injectable: a test runs "10 minutes off"). */
  now(): number;
  /** Deadline of each network probe. */
  timeoutMs: number;
  networkFacts(edgeIsLocal: boolean): NetworkFacts;
  lookupAll(host: string): Promise<string[]>;
  fetch: Fetch;
  probeWebSocket(url: string, timeoutMs: number): Promise<WsProbe>;
  probeStun(host: string, port: number, timeoutMs: number): Promise<StunOutcome>;
  probeTurn(attempt: { host: string; port: number; transport: TurnTransport; username: string; credential: string }, timeoutMs: number): Promise<TurnOutcome>;
  /** RFC 5780 discovery (../nat); absent: the NAT checks say why they could not run. */
  discoverNat?: (stunServer: readonly [string, number], timeoutMs: number) => Promise<NatSummary>;
  natUnavailableReason?: string;
}

export interface DoctorRun {
  report: DoctorReport;
  /** Every secret the run handled (the token, TURN credentials): the printers scrub them. */
  secrets: string[];
  /** TURN usernames the edge handed out: kept out of the report uploaded to the edge. */
  turnUsernames: string[];
}

const skip = (id: CheckResult["id"], why: string): CheckResult => check(id, "skip", "skipped", `Not run: ${why}.`);

export async function runDoctor(input: DoctorInput, deps: DoctorDeps): Promise<DoctorRun> {
  const { edge, serial, token } = input;
  const timeoutMs = deps.timeoutMs;
  const secrets = [token];
  const turnUsernames: string[] = [];
  const startedAt = deps.now();
  const host = edgeHost(edge);
  const origin = httpOrigin(edge);
  const checks: CheckResult[] = [evaluateNetwork(deps.networkFacts(isLoopbackEdge(edge)))];

  const dnsOutcome = isIpLiteral(host) ? undefined : await probeDns(host, deps.lookupAll, timeoutMs);
  const dns = evaluateDns(host, dnsOutcome, timeoutMs);
  checks.push(dns);
  const claims = readTokenClaims(token);

  let edgeAnswer: Awaited<ReturnType<typeof askEdge>> | undefined;
  let edgeTime: EdgeTime | undefined;
  if (dns.status === "fail") {
    checks.push(skip("edge_https", "the edge's name does not resolve (see DNS)"), skip("edge_websocket", "the edge's name does not resolve"), skip("clock", "the edge's time is unknown"));
  } else {
    const wsOrigin = origin.replace(/^http/, "ws");
    const [http, answer, wsDevice, wsViewer] = await Promise.all([
      probeHttp(deps.fetch, `${origin}/api/health`, timeoutMs, deps.now),
      askEdge(deps.fetch, origin, serial, token, timeoutMs, deps.now),
      deps.probeWebSocket(`${wsOrigin}/ws/device/${encodeURIComponent(serial)}`, timeoutMs),
      deps.probeWebSocket(`${wsOrigin}/ws/view/${encodeURIComponent(serial)}`, timeoutMs),
    ]);
    edgeAnswer = answer;
    checks.push(evaluateEdgeHttps(edge, http, timeoutMs));
    checks.push(http.ok ? evaluateEdgeWebSocket({ device: wsDevice, viewer: wsViewer }, timeoutMs) : skip("edge_websocket", "the edge does not answer HTTPS"));
    if (answer.kind === "accepted") {
      edgeTime = { edgeMs: Date.parse(answer.body.serverTime), localMs: answer.receivedAt, rttMs: answer.rttMs, source: "edge" };
    } else if (http.ok && http.date && Number.isFinite(Date.parse(http.date))) {
      edgeTime = { edgeMs: Date.parse(http.date), localMs: http.receivedAt, rttMs: http.rttMs, source: "http-date" };
    }
    checks.push(evaluateClock(edgeTime));
  }

  // The edge's own clock decides whether a token has expired; the camera's may be wrong.
  const edgeNow = edgeTime ? edgeTime.edgeMs + (deps.now() - edgeTime.localMs) : deps.now();
  const verdict: EdgeTokenVerdict | undefined =
    edgeAnswer === undefined ? undefined : edgeAnswer.kind === "accepted" ? { kind: "accepted" } : edgeAnswer.kind === "unreachable" && checks.some((c) => c.id === "edge_https" && c.status === "fail") ? undefined : edgeAnswer;
  checks.push(evaluateToken({ serial, claims, edge: verdict, nowMs: edgeNow, timeoutMs }));

  const servers = input.iceServersOverride ?? (edgeAnswer?.kind === "accepted" ? edgeAnswer.body.iceServers : undefined);
  for (const s of servers ?? []) {
    if (s.credential) secrets.push(s.credential);
    // Not a secret on the camera's own screen, but it names the session: never uploaded.
    if (s.username) turnUsernames.push(s.username);
  }
  const facts: RelayFacts = { haveServers: servers !== undefined, turnConfigured: false, stun: undefined, turn: {} };
  let nat: NatOutcome = { ok: false, reason: "the edge did not hand out a STUN server (see the edge and token checks)." };
  if (servers) {
    facts.turnConfigured = edgeAnswer?.kind === "accepted" ? edgeAnswer.body.turnConfigured : servers.some((s) => s.username && s.credential);
    const choice = chooseIceServers(servers, createTurnHealth(), deps.now());
    const stun = choice.stunUrl ? parseStunUrl(choice.stunUrl) : undefined;
    const byTransport = new Map(choice.attempts.map((a) => [a.transport, a]));
    const [stunOutcome, natOutcome, ...turn] = await Promise.all([
      stun ? deps.probeStun(stun.host, stun.port, timeoutMs) : Promise.resolve(undefined),
      runNat(deps, stun, timeoutMs),
      ...(["udp", "tcp", "tls"] as const).map(async (t) => {
        const a = byTransport.get(t);
        return a ? ([t, { server: `${a.host}:${a.port}`, outcome: await deps.probeTurn(a, timeoutMs) }] as const) : undefined;
      }),
    ]);
    if (stun && stunOutcome) facts.stun = { server: `${stun.host}:${stun.port}`, outcome: stunOutcome };
    for (const entry of turn) if (entry) facts.turn[entry[0]] = entry[1];
    nat = natOutcome;
  }
  checks.push(...evaluateRelays(facts), ...evaluateNat(nat));

  return { report: { serial, edge, at: new Date(startedAt).toISOString(), checks, exitCode: exitCodeOf(checks) }, secrets, turnUsernames };
}

async function runNat(deps: DoctorDeps, stun: { host: string; port: number } | undefined, timeoutMs: number): Promise<NatOutcome> {
  if (!stun) return { ok: false, reason: "the edge hands out no STUN server to test against." };
  if (!deps.discoverNat) return { ok: false, reason: deps.natUnavailableReason ?? "NAT discovery is not built into this agent yet." };
  try {
    return { ok: true, summary: await deps.discoverNat([stun.host, stun.port], timeoutMs) };
  } catch (e) {
    return { ok: false, reason: `NAT discovery failed: ${(e as Error).message}` };
  }
}
