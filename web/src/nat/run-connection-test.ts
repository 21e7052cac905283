// Why: the connection test end to end — edge checks, the edge's probe list, every ICE probe in
// parallel (each on its own peer connection, so they never share a socket they should not), then
// the pure classifiers. Browser-only glue; what it decides is in mapping.ts, filtering.ts, verdict.ts.
import type { ConnectionTestResponse, RelayProbe, StunProbe } from "../../../protocol/connection-test.ts";
import { predictPath, natSideOf, type NatSide } from "../../../protocol/path-prediction.ts";
import { describeError } from "../lib/error-messages.ts";
import { endpointKey, isIpLiteral, isUnspecified } from "./candidate.ts";
import { fetchConnectionTest } from "./connection-test-api.ts";
import { checkEdge, checkWebSocket } from "./edge-probes.ts";
import { classifyFiltering, type FilteringResult } from "./filtering.ts";
import { filteringTrial } from "./filtering-trial.ts";
import { gather, type GatheredCandidate } from "./ice-gather.ts";
import { classifyMapping, type ProbeOutcome } from "./mapping.ts";
import { addressFingerprint, redactAddress } from "./report.ts";
import type { ConnectionTestResult, RelayResult, StunProbeResult } from "./test-result.ts";
import { natTypeOf, networkVerdict, predictionAdvice } from "./verdict.ts";
import { saveViewerNat } from "./viewer-nat-cache.ts";

/** How long a STUN server may take to answer before it counts as silent. */
const STUN_MS = 3000;
/** TURN over TCP/TLS needs a handshake or two more than UDP. */
const RELAY_MS = 5000;
/** How long B's checks get to reach A (the brief's ~3 s: dozens of paced checks). */
const FILTER_MS = 3000;

export type Progress = "edge" | "ice" | "done";

const hostOf = (url: string) => /^stuns?:(\[[^\]]+\]|[^:?]+)/.exec(url)?.[1] ?? url;
const serverOf = (url: string) => url.replace(/^stuns?:/, "");
const sameUrl = (a: string | null, b: string) => !!a && a.replace(/^stun:/, "").replace(/\?.*$/, "") === b.replace(/^stun:/, "");

function browserName(): string {
  const ua = navigator.userAgent;
  const m = /(Firefox|Edg|Chrome|Chromium|Version)\/(\d+)/.exec(ua);
  if (!m) return "unknown";
  if (m[1] === "Version") return `Safari ${m[2]}`;
  return `${m[1] === "Edg" ? "Edge" : m[1]} ${m[2]}`;
}

async function probeRelay(r: RelayProbe): Promise<RelayResult & { mapped: string | null; relayAddress: string | null }> {
  const g = await gather({ iceServers: [{ urls: r.url, username: r.username, credential: r.credential }], iceTransportPolicy: "relay" }, RELAY_MS, (c) => c.some((x) => x.type === "relay"));
  const relay = g.candidates.find((c) => c.type === "relay");
  if (!relay) return { transport: r.transport, status: "fail", allocateMs: null, detail: `no relay within ${RELAY_MS / 1000} s`, mapped: null, relayAddress: null };
  return {
    transport: r.transport,
    status: "pass",
    allocateMs: relay.atMs,
    detail: null,
    // RFC 8656 §7.3: the related address of a relay candidate is the mapped address the server saw.
    mapped: isUnspecified(relay.relatedAddress) ? null : relay.relatedAddress,
    relayAddress: relay.address,
  };
}

interface IceFindings {
  stun: StunProbeResult[];
  relays: RelayResult[];
  side: NatSide;
  mapping: ReturnType<typeof classifyMapping>;
  filtering: FilteringResult;
  publicIp: string | null;
}

async function probeIce(t: ConnectionTestResponse): Promise<IceFindings> {
  const stunUrls = t.stun.map((s) => s.url);
  const udpRelay = t.relays.find((r) => r.transport === "udp") ?? null;
  const primary = t.stun.find((s) => s.role === "primary");
  const alt = t.stun.find((s) => s.role === "alt-address");
  const srflx = (c: GatheredCandidate[]) => c.filter((x) => x.type === "srflx");
  const [shared, reach, relays, viaAlt, viaPrimary] = await Promise.all([
    // One socket, every server: equal answers collapse into one srflx (mapping.ts).
    stunUrls.length ? gather({ iceServers: stunUrls.map((urls) => ({ urls })) }, STUN_MS) : Promise.resolve({ candidates: [], complete: true }),
    // Each server on its own socket: did it answer at all?
    Promise.all(t.stun.map((s) => gather({ iceServers: [{ urls: s.url }] }, STUN_MS, (c) => srflx(c).length > 0))),
    Promise.all(t.relays.map(probeRelay)),
    udpRelay && alt ? filteringTrial(alt.url, udpRelay, FILTER_MS, RELAY_MS) : Promise.resolve(null),
    udpRelay && primary ? filteringTrial(primary.url, udpRelay, FILTER_MS, RELAY_MS) : Promise.resolve(null),
  ]);

  const hostIps = [...shared.candidates, ...reach.flatMap((r) => r.candidates)].filter((c) => c.type === "host" && isIpLiteral(c.address)).map((c) => c.address);
  const udpMapped = relays.find((r) => r.transport === "udp")?.mapped ?? null;
  const anySrflx = srflx(shared.candidates).length > 0 || reach.some((r) => srflx(r.candidates).length > 0);
  // No translation: the relay saw one of our own addresses, or every STUN gathering finished
  // with no srflx (browsers drop a srflx equal to the host address) while host IPs are visible.
  const noTranslation = !anySrflx && hostIps.length > 0 && ((udpMapped !== null && hostIps.includes(udpMapped)) || (reach.length > 0 && reach.every((r) => r.complete)));

  const sharedSrflx = srflx(shared.candidates);
  const outcomes: ProbeOutcome[] = t.stun.map((s: StunProbe, i) => {
    const own = sharedSrflx.find((c) => sameUrl(c.url, s.url));
    return {
      role: s.role,
      ...(s.sameAddressAs ? { sameAddressAs: s.sameAddressAs } : {}),
      answered: noTranslation || srflx(reach[i]!.candidates).length > 0 || !!own,
      mapped: own ? endpointKey(own.address, own.port) : null,
    };
  });
  // Without `url` on candidates (some browsers), attribute nothing: distinct mappings still count.
  const mapping = classifyMapping({ probes: outcomes, mappings: [...new Set(sharedSrflx.map((c) => endpointKey(c.address, c.port)))], noTranslation });

  const relayAddress = viaPrimary?.relayAddress ?? viaAlt?.relayAddress ?? null;
  const filtering = classifyFiltering({
    relayAddress,
    viaAltAddress: alt && viaAlt ? { contactedHost: hostOf(alt.url), reached: viaAlt.reached } : null,
    viaPrimary: primary && viaPrimary ? { contactedHost: hostOf(primary.url), reached: viaPrimary.reached } : null,
  });

  const stunAnswered = outcomes.some((o) => o.answered);
  const udpRelayOk = relays.some((r) => r.transport === "udp" && r.status === "pass");
  // UDP blocked: no STUN server answered and the UDP relay failed too, where there were any to try.
  const udpBlocked = !stunAnswered && !udpRelayOk && (t.stun.length > 0 || !!udpRelay);
  const side: NatSide = udpBlocked ? { mapping: "unknown", filtering: "unknown", udpBlocked: true } : { mapping: mapping.mapping, filtering: filtering.filtering, udpBlocked: false };
  const publicIp = sharedSrflx[0]?.address ?? reach.flatMap((r) => srflx(r.candidates))[0]?.address ?? (noTranslation ? (udpMapped ?? hostIps[0] ?? null) : udpMapped);
  return {
    stun: t.stun.map((s, i) => ({ role: s.role, server: serverOf(s.url), answered: outcomes[i]!.answered, mapped: outcomes[i]!.mapped })),
    relays: relays.map(({ mapped: _m, relayAddress: _r, ...rest }) => rest),
    side,
    mapping,
    filtering,
    publicIp,
  };
}

export async function runConnectionTest(opts: { camera: string | null; signedIn: boolean; onProgress?: (p: Progress) => void }): Promise<ConnectionTestResult> {
  const at = Date.now();
  opts.onProgress?.("edge");
  const [edge, websocket] = await Promise.all([checkEdge(), checkWebSocket(location.href)]);
  const result: ConnectionTestResult = { at, browser: browserName(), edge, websocket, ice: null, camera: null, notes: [] };
  if (typeof RTCPeerConnection === "undefined") {
    result.notes.push("This browser has no WebRTC (RTCPeerConnection), so live video cannot work in it and the network part of the test cannot run. Try a current Chrome, Edge, Firefox or Safari.");
    return result;
  }
  if (!opts.signedIn) {
    result.notes.push("Sign in to test the relays and your NAT: the edge hands out relay credentials to signed-in users only.");
    return result;
  }
  const asked = await fetchConnectionTest(opts.camera);
  if (!asked.ok) {
    const d = describeError(asked.error.code, asked.error.retryAfterSeconds !== undefined ? { retryAfterSeconds: asked.error.retryAfterSeconds } : {});
    result.notes.push(`The edge refused the network test (${asked.error.code}): ${d.message}`);
    return result;
  }
  const t = asked.value;
  opts.onProgress?.("ice");
  const ice = await probeIce(t);
  if (!t.turnConfigured) result.notes.push("This deployment has no TURN relay configured: relay transports were not tested.");
  if (t.stun.length === 0) result.notes.push("This deployment names no STUN server: the NAT type could not be measured.");
  if (ice.mapping.coverage === "port-only") result.notes.push("No second STUN address is configured (altStun): the mapping test only caught port-dependent mapping.");
  if (ice.filtering.lowerBound) result.notes.push("Filtering was tested from one server address only: it may be less strict than reported.");
  const fingerprint = ice.publicIp ? await addressFingerprint(ice.publicIp, location.origin) : null;
  const natType = natTypeOf(ice.side);
  const relayOutcomes = ice.relays.map((r) => ({ transport: r.transport, ok: r.status === "pass" }));
  result.ice = {
    turnConfigured: t.turnConfigured,
    stun: ice.stun,
    relays: ice.relays,
    mapping: ice.mapping,
    filtering: ice.filtering,
    side: ice.side,
    natType,
    verdict: networkVerdict(ice.side, relayOutcomes),
    publicFingerprint: fingerprint,
    publicAddress: ice.publicIp ? redactAddress(ice.publicIp) : null,
  };
  saveViewerNat({ side: ice.side, verdict: natType, at, fingerprint });
  if (t.camera) {
    const c = t.camera;
    const prediction = predictPath(natSideOf(c.nat), ice.side, { sameNetwork: c.sameNetworkAsCamera === true });
    result.camera = { serial: c.serial, name: c.name, online: c.online, nat: c.nat, sameNetwork: c.sameNetworkAsCamera, prediction, advice: predictionAdvice(prediction, relayOutcomes) };
  }
  opts.onProgress?.("done");
  return result;
}
