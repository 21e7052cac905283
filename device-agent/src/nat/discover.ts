// Why: whether a viewer can reach the camera directly depends on how the camera's NAT maps and
// filters UDP; this runs RFC 5780's behaviour discovery tests against a STUN server with two
// addresses (coturn with two listening IPs) over real UDP sockets and classifies the result.
import { createSocket, type Socket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { isIPv4 } from "node:net";
import { networkInterfaces } from "node:os";
import { classifyNat, type FilteringBehavior, type MappingBehavior, type NatType } from "./classify.ts";
import {
  BINDING_REQUEST,
  CHANGE_IP,
  CHANGE_PORT,
  decodeBindingResponse,
  encodeBindingRequest,
  newTransactionId,
  sameEndpoint,
  stunHeader,
  type BindingResponse,
  type Endpoint,
} from "./stun.ts";

export type { Endpoint } from "./stun.ts";

export interface NatDiscoveryOptions {
  /** The STUN server: host name or IPv4 address, and port (coturn's 3478). */
  stunServer: readonly [host: string, port: number];
  /**
   * A second STUN server on another IP (e.g. the fallback TURN region's). Used for the mapping
   * test only when the first server gives no OTHER-ADDRESS (it has one IP, or RFC 5780 is off):
   * comparing the two mappings still tells cone from symmetric; filtering stays untested.
   */
  altServer?: readonly [host: string, port: number];
  /** Bind the test sockets to this local IPv4 address (default: any). */
  localAddress?: string;
  /** How long one request may go unanswered before it counts as lost (default 1500 ms). */
  timeoutMs?: number;
}

export interface NatReport {
  /** RFC 3489 class for the UI (classify.ts). */
  natType: NatType;
  udpBlocked: boolean;
  mapping: MappingBehavior;
  filtering: FilteringBehavior;
  /** RFC 5780 §4.5: a packet to our own public address came back to us; null when not tested. */
  hairpinning: boolean | null;
  /** Our public address as the server saw it (XOR-MAPPED-ADDRESS of the first test). */
  mappedAddress?: Endpoint;
  /** The server that was asked, "host:port". */
  server: string;
  /** The server's alternate address (OTHER-ADDRESS), when it offers RFC 5780. */
  otherAddress?: Endpoint;
  /** Whether the full RFC 5780 test set could run (the server has a usable alternate address). */
  rfc5780: boolean;
  durationMs: number;
  /** What went wrong when the verdict is partial (DNS failed, server without RFC 5780, …). */
  error?: string;
}

const DEFAULT_TIMEOUT_MS = 1500;
/** First retransmission after this long, doubling (RFC 8489 §6.2.1 uses RTO 500 ms; the tests are few and short). */
const FIRST_RTO_MS = 200;

/** One UDP socket that sends Binding requests and matches responses by transaction id. */
interface Prober {
  readonly local: Endpoint;
  /** The response, or undefined if none came within the timeout (retransmitted meanwhile). */
  binding(to: Endpoint, change?: number): Promise<{ response: BindingResponse; from: Endpoint } | undefined>;
  /** RFC 5780 §4.5: sends a Binding request to `to` and resolves true if it arrives back here. */
  hairpin(to: Endpoint): Promise<boolean>;
  close(): void;
}

async function openProber(localAddress: string | undefined, timeoutMs: number): Promise<Prober> {
  const socket: Socket = createSocket({ type: "udp4" });
  const waiting = new Map<string, (r: { response: BindingResponse; from: Endpoint }) => void>();
  const hairpins = new Map<string, () => void>();
  const timers = new Set<NodeJS.Timeout>();
  socket.on("message", (msg, rinfo) => {
    const head = stunHeader(msg);
    if (!head) return;
    const key = head.transactionId.toString("hex");
    if (head.type === BINDING_REQUEST) return hairpins.get(key)?.();
    const response = decodeBindingResponse(msg);
    if (response) waiting.get(key)?.({ response, from: { ip: rinfo.address, port: rinfo.port } });
  });
  socket.on("error", () => {}); // ICMP errors surface as timeouts; never crash the agent
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind({ port: 0, ...(localAddress ? { address: localAddress } : {}) }, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  const bound = socket.address();
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(() => {
        timers.delete(t);
        r();
      }, ms);
      timers.add(t);
    });
  /** Sends `packet` with doubling gaps until `done` or the timeout. */
  const retransmit = async (packet: Buffer, to: Endpoint, done: () => boolean): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (let rto = FIRST_RTO_MS; !done() && Date.now() < deadline; rto *= 2) {
      socket.send(packet, to.port, to.ip, () => {});
      await sleep(Math.min(rto, Math.max(0, deadline - Date.now())));
    }
  };
  let closed = false;
  return {
    local: { ip: bound.address, port: bound.port },
    async binding(to, change = 0) {
      if (closed) return undefined;
      const id = newTransactionId();
      const key = id.toString("hex");
      let result: { response: BindingResponse; from: Endpoint } | undefined;
      waiting.set(key, (r) => (result ??= r));
      try {
        await retransmit(encodeBindingRequest(id, change), to, () => result !== undefined || closed);
      } finally {
        waiting.delete(key);
      }
      return result;
    },
    async hairpin(to) {
      if (closed) return false;
      const id = newTransactionId();
      const key = id.toString("hex");
      let arrived = false;
      hairpins.set(key, () => (arrived = true));
      try {
        await retransmit(encodeBindingRequest(id), to, () => arrived || closed);
      } finally {
        hairpins.delete(key);
      }
      return arrived;
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      socket.close();
    },
  };
}

async function resolveEndpoint([host, port]: readonly [string, number]): Promise<Endpoint> {
  return { ip: isIPv4(host) ? host : (await lookup(host, { family: 4 })).address, port };
}

/** Whether `mapped` is one of this host's own addresses: no translation on the path. */
function isLocal(mapped: Endpoint, local: Endpoint): boolean {
  if (mapped.port !== local.port) return false;
  if (local.ip !== "0.0.0.0") return mapped.ip === local.ip;
  return Object.values(networkInterfaces()).some((list) => list?.some((a) => a.family === "IPv4" && a.address === mapped.ip));
}

/**
 * RFC 5780 NAT behaviour discovery: mapping (§4.3), filtering (§4.4) and hairpinning (§4.5),
 * classified with RFC 3489 names. Never throws: a failure is a report with `error` set.
 */
export async function discoverNatBehavior(o: NatDiscoveryOptions): Promise<NatReport> {
  const t0 = performance.now();
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const server = `${o.stunServer[0]}:${o.stunServer[1]}`;
  const report = (r: Omit<NatReport, "natType" | "server" | "durationMs">): NatReport => ({
    natType: classifyNat(r),
    server,
    durationMs: Math.round(performance.now() - t0),
    ...r,
  });
  let primary: Endpoint;
  try {
    primary = await resolveEndpoint(o.stunServer);
  } catch (e) {
    return report({ udpBlocked: false, mapping: "unknown", filtering: "unknown", hairpinning: null, rfc5780: false, error: `cannot resolve ${o.stunServer[0]}: ${(e as Error).message}` });
  }
  // Mapping and filtering each get their own socket, so their own mapping: a filtering test on
  // the mapping socket would be answered through the permission the mapping test's request to
  // the alternate address opened (RFC 5780 §4.4 wants a fresh mapping). They run side by side.
  const mappingProbe = await openProber(o.localAddress, timeoutMs);
  const filteringProbe = await openProber(o.localAddress, timeoutMs);
  try {
    const filtering = testFiltering(filteringProbe, primary);
    // Test I (§4.3): our mapped address, and the server's alternate address.
    const first = await mappingProbe.binding(primary);
    const mapped = first?.response.mapped;
    if (!first || !mapped) {
      await filtering;
      return report({ udpBlocked: true, mapping: "unknown", filtering: "unknown", hairpinning: null, rfc5780: false, error: `no STUN answer from ${server} within ${timeoutMs} ms` });
    }
    const other = first.response.other;
    // An alternate on the same IP cannot test address-dependence (§4.3 needs another IP).
    const rfc5780 = !!other && other.ip !== primary.ip;
    const hairpin = isLocal(mapped, mappingProbe.local) ? Promise.resolve(null) : mappingProbe.hairpin(mapped);
    let mapping: MappingBehavior;
    let error = rfc5780 ? undefined : `${server} offers no RFC 5780 alternate address: filtering not tested`;
    if (isLocal(mapped, mappingProbe.local)) mapping = "none";
    else if (rfc5780 && other) mapping = await testMapping(mappingProbe, primary, other, mapped);
    else if (o.altServer) {
      // The fallback: a second server on another IP tells a changing mapping from a fixed one.
      const alt = await resolveEndpoint(o.altServer).catch(() => undefined);
      const second = alt ? await mappingProbe.binding(alt) : undefined;
      mapping = !second?.response.mapped ? "unknown" : sameEndpoint(second.response.mapped, mapped) ? "endpoint-independent" : "endpoint-dependent";
      if (mapping === "unknown") error += `; ${o.altServer.join(":")} did not answer, so mapping not tested either`;
    } else {
      mapping = "unknown";
      error += "; no second server was given, so mapping not tested either";
    }
    const filtered = rfc5780 ? await filtering : "unknown";
    if (!rfc5780) await filtering;
    return report({
      udpBlocked: false,
      mapping,
      filtering: filtered,
      hairpinning: await hairpin,
      mappedAddress: mapped,
      ...(other ? { otherAddress: other } : {}),
      rfc5780,
      ...(error ? { error } : {}),
    });
  } finally {
    mappingProbe.close();
    filteringProbe.close();
  }
}

/** RFC 5780 §4.3 tests II and III: the mapping towards the alternate IP, then the alternate IP and port. */
async function testMapping(p: Prober, primary: Endpoint, other: Endpoint, first: Endpoint): Promise<MappingBehavior> {
  const second = (await p.binding({ ip: other.ip, port: primary.port }))?.response.mapped;
  if (!second) return "unknown";
  if (sameEndpoint(second, first)) return "endpoint-independent";
  const third = (await p.binding(other))?.response.mapped;
  if (!third) return "unknown";
  return sameEndpoint(third, second) ? "address-dependent" : "address-and-port-dependent";
}

/**
 * RFC 5780 §4.4 tests II and III on a fresh mapping towards the primary address: an answer
 * from the other IP and port passes only endpoint-independent filtering; one from the same IP
 * but the other port passes address-dependent filtering too. Both asked at once: neither
 * request opens the NAT towards the addresses the answers come from.
 */
async function testFiltering(p: Prober, primary: Endpoint): Promise<FilteringBehavior> {
  const [both, port] = await Promise.all([p.binding(primary, CHANGE_IP | CHANGE_PORT), p.binding(primary, CHANGE_PORT)]);
  // Count an answer only if it really came from where it was asked to: a server that ignores
  // CHANGE-REQUEST answers from the primary address, which proves nothing about filtering.
  if (both && !both.response.errorCode && both.from.ip !== primary.ip && both.from.port !== primary.port) return "endpoint-independent";
  if (port && !port.response.errorCode && port.from.ip === primary.ip && port.from.port !== primary.port) return "address-dependent";
  return "address-and-port-dependent";
}
