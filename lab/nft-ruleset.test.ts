import { describe, expect, it } from "vitest";
import { NAT_TYPES } from "./nat-types.ts";
import { natRuleset } from "./nft-ruleset.ts";

const ifaces = { wan: "wan", lan: "lan" };

describe("nftables ruleset per NAT type", () => {
  it("starts every ruleset with flush ruleset so one nft -f switches the type atomically", () => {
    for (const type of NAT_TYPES) expect(natRuleset(type, ifaces).split("\n")[1]).toBe("flush ruleset");
  });

  it("drops new inbound traffic on the WAN side for every type, letting only DNAT'd mappings through", () => {
    for (const type of NAT_TYPES) {
      const rules = natRuleset(type, ifaces);
      expect(rules).toContain("type filter hook input priority filter; policy drop;");
      expect(rules).toContain("type filter hook forward priority filter; policy drop;");
      expect(rules).toContain("ct state established,related accept");
      expect(rules).toContain('iifname "lan" accept');
      expect(rules).toContain("ct status dnat accept");
    }
  });

  it("gives symmetric NAT a random port per flow and the cone types a preserved one", () => {
    expect(natRuleset("symmetric", ifaces)).toContain('oifname "wan" masquerade random');
    for (const type of ["full-cone", "restricted-cone", "port-restricted"] as const) {
      expect(natRuleset(type, ifaces)).toMatch(/oifname "wan" masquerade\n/);
    }
  });

  it("uses no learned mapping table for port-restricted and symmetric (conntrack filters by 5-tuple)", () => {
    for (const type of ["port-restricted", "symmetric"] as const) {
      const rules = natRuleset(type, ifaces);
      expect(rules).not.toContain("map ");
      expect(rules).not.toContain("dnat ip to");
    }
  });

  it("learns full-cone mappings by external port after SNAT and admits any remote to them", () => {
    const rules = natRuleset("full-cone", ifaces);
    expect(rules).toContain("type filter hook postrouting priority srcnat + 1;");
    expect(rules).toContain("update @fc { ct reply proto-dst : ct original ip saddr . ct original proto-src }");
    expect(rules).toContain('iifname "wan" meta l4proto udp dnat ip to udp dport map @fc');
  });

  it("keys restricted-cone mappings on the remote address too, so only contacted hosts get in", () => {
    const rules = natRuleset("restricted-cone", ifaces);
    expect(rules).toContain("update @rc { ip daddr . ct reply proto-dst : ct original ip saddr . ct original proto-src }");
    expect(rules).toContain('iifname "wan" meta l4proto udp dnat ip to ip saddr . udp dport map @rc');
  });

  it("names the router's own interfaces", () => {
    const rules = natRuleset("full-cone", { wan: "up0", lan: "home0" });
    expect(rules).toContain('oifname "up0" masquerade');
    expect(rules).toContain('iifname "home0" accept');
    expect(rules).not.toContain('"wan"');
  });

  it("lets a home with an open egress send anything, and blocks only what a strict network blocks", () => {
    expect(natRuleset("port-restricted", ifaces)).not.toMatch(/ drop$/m);
    const noUdp = natRuleset("port-restricted", ifaces, "no-udp");
    expect(noUdp).toContain('iifname "lan" oifname "wan" meta l4proto udp drop');
    expect(noUdp).not.toContain("tcp dport");
    const only443 = natRuleset("full-cone", ifaces, "tcp-443");
    expect(only443).toContain('iifname "lan" oifname "wan" meta l4proto != tcp drop');
    expect(only443).toMatch(/tcp dport != \{ 443, \d+ \} drop/);
  });

  it("drops blocked egress before the rule that accepts everything from the LAN", () => {
    const lines = natRuleset("symmetric", ifaces, "no-udp").split("\n");
    const drop = lines.findIndex((l) => l.includes("meta l4proto udp drop"));
    const acceptLan = lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes("chain forward")) && l.trim() === 'iifname "lan" accept');
    expect(drop).toBeGreaterThan(0);
    expect(drop).toBeLessThan(acceptLan);
  });

  it("makes a no-NAT router route both ways with no translation and no firewall (open internet)", () => {
    const rules = natRuleset("no-nat", ifaces);
    expect(rules.split("\n")[1]).toBe("flush ruleset");
    expect(rules).toContain("type filter hook forward priority filter; policy accept;");
    expect(rules).not.toContain("masquerade");
    expect(rules).not.toContain("policy drop");
    expect(natRuleset("no-nat", ifaces, "no-udp")).toContain('iifname "lan" oifname "wan" meta l4proto udp drop');
  });
});
