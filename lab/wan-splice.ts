// Why: puts the delay element (lab/link-delay.ts) into a router's WAN link and takes it out
// again. The router's `wan` and the bridge port in inet keep their names, so the NAT rulesets,
// flap test and readdressing work unchanged with or without it; with no conditions asked for,
// the link is the plain veth the topology built.
import { deleteNamespace } from "./ns-delete.ts";
import type { LinkConditions } from "./link-conditions.ts";
import { linkDelayBinary, offloadOff, startLinkElement, type LinkElement } from "./link-delay.ts";
import { inNs, ipIn, run } from "./shell.ts";

export interface SplicedLink {
  /** The element's own namespace. */
  ns: string;
  element: LinkElement;
}

/**
 * Moves the inet end of `router`'s WAN veth (named after the router, a port of br0) into a new
 * namespace `linkNs` as `home`, joins a new veth `net` ⇄ (inet) `<router>` to br0, and starts
 * the element between `home` and `net`.
 */
export async function spliceWanLink(o: { inet: string; routerNs: string; router: string; linkNs: string }, c: LinkConditions, log: (line: string) => void): Promise<SplicedLink> {
  const bin = linkDelayBinary();
  run("ip", ["netns", "add", o.linkNs]);
  try {
    ipIn(o.linkNs, "link", "set", "lo", "up");
    // Nothing of its own to say on the link: no IPv6 autoconfiguration, no addresses.
    inNs(o.linkNs, "sysctl", ["-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
    ipIn(o.inet, "link", "set", o.router, "netns", o.linkNs);
    ipIn(o.linkNs, "link", "set", o.router, "name", "home");
    // Not "up": `ip link add up …` takes it for the flag and names the link veth0.
    ipIn(o.linkNs, "link", "add", "net", "type", "veth", "peer", "name", o.router, "netns", o.inet);
    ipIn(o.inet, "link", "set", o.router, "master", "br0", "up");
    offloadOff(bin, o.routerNs, ["wan"]);
    offloadOff(bin, o.inet, [o.router]);
    offloadOff(bin, o.linkNs, ["home", "net"]);
    ipIn(o.linkNs, "link", "set", "home", "up");
    ipIn(o.linkNs, "link", "set", "net", "up");
    const element = await startLinkElement(bin, o.linkNs, "home", "net", c, log);
    return { ns: o.linkNs, element };
  } catch (error) {
    deleteNamespace(o.linkNs);
    throw error;
  }
}

/** Restarts the element with new conditions (frames in flight at that moment are lost). */
export async function respliceWanLink(link: SplicedLink, c: LinkConditions, log: (line: string) => void): Promise<SplicedLink> {
  await link.element.stop();
  return { ns: link.ns, element: await startLinkElement(linkDelayBinary(), link.ns, "home", "net", c, log) };
}

/** Stops the element and rejoins the router's veth to br0 directly, as the topology built it. */
export async function unspliceWanLink(link: SplicedLink, o: { inet: string; router: string }): Promise<void> {
  await link.element.stop();
  // Deleting inet's new port deletes its peer `net` too.
  ipIn(o.inet, "link", "del", o.router);
  ipIn(link.ns, "link", "set", "home", "name", o.router);
  ipIn(link.ns, "link", "set", o.router, "netns", o.inet);
  ipIn(o.inet, "link", "set", o.router, "master", "br0", "up");
  deleteNamespace(link.ns);
}
