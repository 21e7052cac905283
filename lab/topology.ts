// Why: builds and tears down the lab's network namespaces — an "internet" bridge, the server,
// two home routers with their hosts — and exposes the knobs the grid (and later the flap
// test) turns: a router's NAT type, its UDP mappings, a link's state, its delay and loss.
//
//   ns srv   wan 198.51.100.10/24 + .11/24 ─┐
//   ns rA    wan 198.51.100.21/24 ──────────┼── ns inet: bridge br0 (the "internet")
//   ns rB    wan 198.51.100.22/24 ──────────┘
//   rA lan bridge 192.168.1.1/24 ── hA 192.168.1.10 (agent), hA2 192.168.1.11 (same-LAN viewer)
//   rB lan bridge 192.168.2.1/24 ── hB 192.168.2.10 (viewer)
import { CAMERA_HOME, EDGE_IP, EDGE_IP_2, PUBLIC_PREFIX, VIEWER_HOME, type HomePlan } from "./addresses.ts";
import type { RouterMode } from "./nat-types.ts";
import type { LinkConditions } from "./link-conditions.ts";
import { natRuleset, type EgressPolicy } from "./nft-ruleset.ts";
import { deleteNamespace } from "./ns-delete.ts";
import { inNs, ipIn, run } from "./shell.ts";
import { respliceWanLink, spliceWanLink, unspliceWanLink, type SplicedLink } from "./wan-splice.ts";

export type RouterName = "rA" | "rB";
export type HostName = "hA" | "hA2" | "hB";
type NodeName = "inet" | "srv" | RouterName | HostName;

/** Namespace names carry the lab prefix and the runner's pid, so runs never collide. */
export const NS_PREFIX = "phlab-";

export interface Topology {
  runId: string;
  /** The namespace of each lab node. */
  ns: Record<NodeName, string>;
  /**
   * Applies a router's NAT type and what its network lets out (one `nft -f`), and forgets its UDP
   * mappings.
   */
  setNat(router: RouterName, type: RouterMode, egress?: EgressPolicy): void;
  /**
   * Gives a router a new public address, as a phone moving from Wi-Fi to mobile data gets one:
   * the old address is removed, so every mapping through it (UDP and TCP) is gone.
   */
  setWanAddress(router: RouterName, ip: string): void;
  /** The router's current public address. */
  wanAddress(router: RouterName): string;
  /** Deletes a router's UDP conntrack entries (NAT mappings); TCP signaling survives. */
  flushUdpMappings(router: RouterName): void;
  /** Takes a router's WAN link down or up — the hook a flap test needs. */
  setWanUp(router: RouterName, up: boolean): void;
  /**
   * Delay and loss on both routers' WAN links (lab/link-conditions.ts says what the figures mean):
   * the first call splices a delay element into each link (lab/wan-splice.ts), later calls
   * restart it with the new figures, null takes it out again. Without a call there is none.
   */
  setLinkConditions(c: LinkConditions | null): Promise<void>;
  /** The conditions set, undefined when the links are plain veths. */
  linkConditions(): LinkConditions | undefined;
  destroy(): void;
}

const ROUTER_HOME: Record<RouterName, HomePlan> = { rA: CAMERA_HOME, rB: VIEWER_HOME };

function nsNames(runId: string): Record<NodeName, string> {
  const names = ["inet", "srv", "rA", "rB", "hA", "hA2", "hB"] as const;
  return Object.fromEntries(names.map((n) => [n, `${NS_PREFIX}${runId}-${n}`])) as Record<NodeName, string>;
}

function sysctl(ns: string, ...settings: string[]): void {
  inNs(ns, "sysctl", ["-q", "-w", ...settings]);
}

/** Removes namespaces left by lab runs whose process is gone (a crash or kill -9). */
export function reapStaleNamespaces(log: (line: string) => void): void {
  const names = run("ip", ["netns", "list"], { allowFail: true }).stdout.split("\n").map((l) => l.split(" ")[0] ?? "");
  for (const ns of names) {
    const m = new RegExp(`^${NS_PREFIX}(\\d+)-`).exec(ns);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      log(`[lab] removing stale namespace ${ns}`);
      deleteNamespace(ns);
    }
  }
}

function addHome(ns: Record<NodeName, string>, router: RouterName, hosts: HostName[]): void {
  const plan = ROUTER_HOME[router];
  const r = ns[router];
  // The WAN veth is created inside the router with its peer placed straight into inet, so
  // nothing ever appears in the host's own namespace.
  ipIn(r, "link", "add", "wan", "type", "veth", "peer", "name", router, "netns", ns.inet);
  ipIn(ns.inet, "link", "set", router, "master", "br0", "up");
  ipIn(r, "addr", "add", `${plan.wanIp}/${PUBLIC_PREFIX}`, "dev", "wan");
  ipIn(r, "link", "set", "wan", "up");
  ipIn(r, "link", "add", "lan", "type", "bridge");
  ipIn(r, "addr", "add", `${plan.lanGateway}/${plan.lanPrefix}`, "dev", "lan");
  ipIn(r, "link", "set", "lan", "up");
  // br_netfilter is active: without this, same-LAN traffic through the bridge is dropped by
  // the router's forward policy (nat-lab.md).
  sysctl(r, "net.ipv4.ip_forward=1", "net.bridge.bridge-nf-call-iptables=0");
  for (const host of hosts) {
    const h = ns[host];
    const addr = plan.hosts[host];
    if (!addr) throw new Error(`no address planned for ${host}`);
    ipIn(h, "link", "add", "eth0", "type", "veth", "peer", "name", host, "netns", r);
    ipIn(r, "link", "set", host, "master", "lan", "up");
    ipIn(h, "addr", "add", `${addr}/${plan.lanPrefix}`, "dev", "eth0");
    ipIn(h, "link", "set", "eth0", "up");
    ipIn(h, "route", "add", "default", "via", plan.lanGateway);
  }
}

export function buildTopology(runId: string, log: (line: string) => void = () => {}): Topology {
  const ns = nsNames(runId);
  const created: string[] = [];
  // The delay elements' namespaces (one per WAN link, only while conditions are set).
  const spliced: Partial<Record<RouterName, SplicedLink>> = {};
  const linkNs = (router: RouterName) => `${NS_PREFIX}${runId}-l${router.slice(1)}`;
  let conditions: LinkConditions | undefined;
  const destroy = (): void => {
    // Elements first: each namespace's processes (the forwarder) are ended by PID before it goes.
    for (const router of ["rA", "rB"] as const) {
      if (spliced[router]) deleteNamespace(spliced[router].ns);
      delete spliced[router];
    }
    for (const name of created.splice(0).reverse()) deleteNamespace(name);
  };
  try {
    for (const name of Object.values(ns)) {
      run("ip", ["netns", "add", name]);
      created.push(name);
      ipIn(name, "link", "set", "lo", "up");
      // IPv4 only: keeps candidates and the grid's verdicts about the NATs under test.
      sysctl(name, "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
    }
    ipIn(ns.inet, "link", "add", "br0", "type", "bridge");
    ipIn(ns.inet, "link", "set", "br0", "up");
    sysctl(ns.inet, "net.bridge.bridge-nf-call-iptables=0");
    ipIn(ns.srv, "link", "add", "wan", "type", "veth", "peer", "name", "srv", "netns", ns.inet);
    ipIn(ns.inet, "link", "set", "srv", "master", "br0", "up");
    ipIn(ns.srv, "addr", "add", `${EDGE_IP}/${PUBLIC_PREFIX}`, "dev", "wan");
    ipIn(ns.srv, "addr", "add", `${EDGE_IP_2}/${PUBLIC_PREFIX}`, "dev", "wan");
    ipIn(ns.srv, "link", "set", "wan", "up");
    addHome(ns, "rA", ["hA", "hA2"]);
    addHome(ns, "rB", ["hB"]);
  } catch (error) {
    destroy();
    throw error;
  }
  log(`[lab] namespaces up: ${Object.values(ns).join(" ")}`);

  const flushUdpMappings = (router: RouterName): void => {
    // Exit status 1 just means there was nothing to delete.
    inNs(ns[router], "conntrack", ["-D", "-p", "udp"], { allowFail: true });
  };
  const wanIps: Record<RouterName, string> = { rA: CAMERA_HOME.wanIp, rB: VIEWER_HOME.wanIp };
  return {
    runId,
    ns,
    setNat(router, type, egress = "open") {
      inNs(ns[router], "nft", ["-f", "-"], { input: natRuleset(type, { wan: "wan", lan: "lan" }, egress) });
      flushUdpMappings(router);
      // Without NAT the home's own addresses are on "the internet": the server reaches them
      // through the router (issue 11's open-internet case). Behind a NAT nothing routes there.
      const plan = ROUTER_HOME[router];
      const lan = `${plan.lanGateway.replace(/\.\d+$/, ".0")}/${plan.lanPrefix}`;
      if (type === "no-nat") ipIn(ns.srv, "route", "replace", lan, "via", wanIps[router]);
      else run("ip", ["-n", ns.srv, "route", "del", lan], { allowFail: true });
    },
    setWanAddress(router, ip) {
      const old = wanIps[router];
      if (ip === old) return;
      // Old one out first: a second address in the same /24 would be a secondary, and deleting
      // the primary deletes its secondaries too.
      ipIn(ns[router], "addr", "del", `${old}/${PUBLIC_PREFIX}`, "dev", "wan");
      ipIn(ns[router], "addr", "add", `${ip}/${PUBLIC_PREFIX}`, "dev", "wan");
      wanIps[router] = ip;
      // masquerade forgets the old address's flows when it is removed; the cone types' learned
      // mappings and any other entry go too, as on a phone that changed networks.
      inNs(ns[router], "conntrack", ["-F"], { allowFail: true });
      // The old address must be dead on "the internet": without this the others' ARP caches
      // keep delivering it to this router, whose full-cone map (keyed by port alone) would
      // still pass it to the host, and the old path would quietly keep working.
      for (const peer of ["srv", "rA", "rB"] as const) ipIn(ns[peer], "neigh", "flush", "dev", "wan");
    },
    wanAddress: (router) => wanIps[router],
    flushUdpMappings,
    setWanUp(router, up) {
      ipIn(ns[router], "link", "set", "wan", up ? "up" : "down");
    },
    async setLinkConditions(c) {
      for (const router of ["rA", "rB"] as const) {
        const link = spliced[router];
        const where = { inet: ns.inet, routerNs: ns[router], router, linkNs: linkNs(router) };
        if (c === null) {
          if (link) await unspliceWanLink(link, where);
          delete spliced[router];
        } else {
          spliced[router] = link ? await respliceWanLink(link, c, log) : await spliceWanLink(where, c, log);
        }
      }
      conditions = c ?? undefined;
      log(`[lab] WAN links: ${c ? `${c.oneWayDelayMs} ms one-way delay, ${c.lossPct} % egress loss each` : "plain"}`);
    },
    linkConditions: () => conditions,
    destroy,
  };
}
