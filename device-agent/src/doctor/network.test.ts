import { describe, expect, it } from "vitest";
import type { NetworkInterfaceInfo } from "node:os";
import { evaluateNetwork, parseDefaultRoutes } from "./network.ts";

const ROUTES_WITH_DEFAULT = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;
const ROUTES_LAN_ONLY = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;
const iface = (address: string, internal = false): NetworkInterfaceInfo =>
  ({ address, family: "IPv4", internal, netmask: "255.255.255.0", mac: "00:00:00:00:00:00", cidr: `${address}/24` }) as NetworkInterfaceInfo;
const LO = { lo: [iface("127.0.0.1", true)] };

describe("network check", () => {
  it("reads the default route's gateway from /proc/net/route's little-endian hex", () => {
    expect(parseDefaultRoutes(ROUTES_WITH_DEFAULT)).toEqual([{ iface: "eth0", gateway: "192.0.2.1" }]);
    expect(parseDefaultRoutes(ROUTES_LAN_ONLY)).toEqual([]);
  });

  it("passes with an addressed interface and a default route, naming both", () => {
    const r = evaluateNetwork({ interfaces: { ...LO, eth0: [iface("192.0.2.2")] }, routeTable: ROUTES_WITH_DEFAULT, edgeIsLocal: false });
    expect(r.status).toBe("pass");
    expect(r.message).toContain("eth0 192.0.2.2");
    expect(r.message).toContain("via 192.0.2.1");
  });

  it("fails when only loopback is up, telling the person to check the cable or Wi-Fi", () => {
    const r = evaluateNetwork({ interfaces: LO, routeTable: ROUTES_WITH_DEFAULT, edgeIsLocal: false });
    expect(r).toMatchObject({ status: "fail", code: "no_network" });
    expect(r.fix).toMatch(/cable or the Wi-Fi/);
  });

  it("fails without a default route, but only warns when the edge is on this machine", () => {
    const facts = { interfaces: { ...LO, eth0: [iface("192.0.2.2")] }, routeTable: ROUTES_LAN_ONLY };
    expect(evaluateNetwork({ ...facts, edgeIsLocal: false })).toMatchObject({ status: "fail", code: "no_default_route" });
    expect(evaluateNetwork({ ...facts, edgeIsLocal: true })).toMatchObject({ status: "warn", code: "no_default_route" });
  });
});
