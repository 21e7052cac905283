// Why: the seed's first question for an offline camera is the cable, the address and the
// gateway. Linux says all of it in /proc/net/route and the interface list; this reads them as
// plain data so the verdict is a pure, unit-tested function.
import type { NetworkInterfaceInfo } from "node:os";
import { check, type CheckResult } from "./types.ts";

export interface DefaultRoute {
  iface: string;
  gateway: string;
}

/** Little-endian hex from /proc/net/route ("010200C0") to dotted IPv4 ("192.0.2.1"). */
function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join(".");
}

/** Default IPv4 routes that are up (RTF_UP = 0x1) in /proc/net/route's text. */
export function parseDefaultRoutes(procNetRoute: string): DefaultRoute[] {
  const out: DefaultRoute[] = [];
  for (const line of procNetRoute.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dest, gateway, flags, , , , mask] = f;
    if (dest === "00000000" && mask === "00000000" && (Number.parseInt(flags!, 16) & 0x1) === 1) {
      out.push({ iface: iface!, gateway: hexToIpv4(gateway!) });
    }
  }
  return out;
}

export interface NetworkFacts {
  /** os.networkInterfaces() */
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** /proc/net/route, or undefined where it does not exist (not Linux). */
  routeTable: string | undefined;
  /** The edge is on this machine or on loopback: a missing default route does not matter for it. */
  edgeIsLocal: boolean;
}

export function evaluateNetwork(f: NetworkFacts): CheckResult {
  const up = Object.entries(f.interfaces).flatMap(([name, infos]) =>
    (infos ?? []).filter((i) => i.family === "IPv4" && !i.internal).map((i) => ({ name, address: i.address })),
  );
  if (up.length === 0) {
    return check("network", "fail", "no_network", "No network interface has an IPv4 address (only loopback is up).",
      "Check the cable or the Wi-Fi connection, then that the interface is up (`ip link`) and got an address from the router (DHCP) or has a static one (`ip addr`).");
  }
  const addresses = up.map((u) => `${u.name} ${u.address}`).join(", ");
  if (f.routeTable === undefined) {
    return check("network", "pass", "ok", `${addresses} (no /proc/net/route here: default route not checked).`, undefined, { interfaces: addresses });
  }
  const routes = parseDefaultRoutes(f.routeTable);
  const first = routes[0];
  if (!first) {
    return check("network", f.edgeIsLocal ? "warn" : "fail", "no_default_route", `${addresses}, but no default route: only the local network is reachable.`,
      "Set the gateway: the router's address, from DHCP or in the static network settings (`ip route add default via <router>`).", { interfaces: addresses });
  }
  return check("network", "pass", "ok", `${addresses}; default route via ${first.gateway} (${first.iface}).`, undefined, { interfaces: addresses, gateway: first.gateway, gatewayInterface: first.iface });
}
