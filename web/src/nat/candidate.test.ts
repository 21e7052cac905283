import { describe, expect, it } from "vitest";
import { endpointKey, isIpLiteral, isMdnsName, parseCandidate } from "./candidate.ts";

describe("parseCandidate", () => {
  it("reads a server-reflexive candidate with its related address", () => {
    const c = parseCandidate("candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 192.168.1.20 rport 51000 generation 0 ufrag abcd network-cost 999");
    expect(c).toMatchObject({ type: "srflx", protocol: "udp", address: "203.0.113.7", port: 61234, relatedAddress: "192.168.1.20", relatedPort: 51000 });
  });

  it("reads a relay candidate over TCP and an mDNS host candidate, with or without a=", () => {
    expect(parseCandidate("a=candidate:1 1 udp 41885439 198.51.100.10 49170 typ relay raddr 0.0.0.0 rport 0")).toMatchObject({ type: "relay", address: "198.51.100.10", relatedAddress: "0.0.0.0" });
    const host = parseCandidate("candidate:2 1 tcp 1518280447 4b1c0f2e-aaaa-bbbb-cccc-1234567890ab.local 9 typ host tcptype active");
    expect(host).toMatchObject({ type: "host", protocol: "tcp", relatedAddress: null });
    expect(isMdnsName(host!.address)).toBe(true);
  });

  it("refuses an end-of-candidates marker and garbage", () => {
    expect(parseCandidate("")).toBeNull();
    expect(parseCandidate("candidate:1 1 udp 1 1.2.3.4 5 typ bogus")).toBeNull();
    expect(parseCandidate("hello world")).toBeNull();
  });
});

describe("addresses", () => {
  it("tells IP literals from names and keys endpoints unambiguously", () => {
    expect(isIpLiteral("203.0.113.7")).toBe(true);
    expect(isIpLiteral("2001:db8::1")).toBe(true);
    expect(isIpLiteral("turn.example.com")).toBe(false);
    expect(endpointKey("2001:db8::1", 5)).toBe("[2001:db8::1]:5");
    expect(endpointKey("203.0.113.7", 5)).toBe("203.0.113.7:5");
  });
});
