import { describe, expect, it } from "vitest";
import { addressFingerprint, redactAddress, redactText } from "./report.ts";
import { reportText } from "./report-text.ts";
import type { ConnectionTestResult } from "./test-result.ts";

describe("redaction", () => {
  it("keeps only the first half of an address", () => {
    expect(redactAddress("203.0.113.7")).toBe("203.0.x.x");
    expect(redactAddress("2001:db8:1:2::5")).toBe("2001:db8:…");
    expect(redactAddress("stun.example.com")).toBe("stun.example.com");
  });

  it("cuts every address inside a text, IPv4 and IPv6, with ports", () => {
    const out = redactText("mapped 203.0.113.7:61234 via [2001:db8:1:2::5]:3478 and fe80::1 at 12:30");
    expect(out).toContain("mapped 203.0.x.x:61234 via [2001:db8:…]:3478");
    expect(out).toContain("at 12:30"); // a time is not an address
    expect(out).not.toMatch(/113\.7|1:2::5/);
  });

  it("fingerprints an address to 8 hex digits that differ per address and never contain it", async () => {
    const a = await addressFingerprint("203.0.113.7", "https://cam.example");
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(await addressFingerprint("203.0.113.7", "https://cam.example")).toBe(a);
    expect(await addressFingerprint("203.0.113.8", "https://cam.example")).not.toBe(a);
  });
});

describe("reportText", () => {
  const result: ConnectionTestResult = {
    at: Date.UTC(2026, 11, 7, 12, 0, 0),
    browser: "Chromium 156",
    edge: { status: "pass", rttMs: 12.4, detail: null },
    websocket: { status: "pass", openMs: 30, detail: null },
    ice: {
      turnConfigured: true,
      stun: [{ role: "primary", server: "198.51.100.10:3478", answered: true, mapped: "203.0.113.7:61234" }],
      relays: [{ transport: "udp", status: "pass", allocateMs: 41, detail: null }, { transport: "tls", status: "fail", allocateMs: null, detail: "no relay candidate in 5 s" }],
      mapping: { mapping: "endpoint-independent", coverage: "full" },
      filtering: { filtering: "address-and-port-dependent", lowerBound: false },
      side: { mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: false },
      natType: "port-restricted-cone",
      verdict: "Your network: cone NAT …",
      publicFingerprint: "ab12cd34",
      publicAddress: "203.0.x.x",
    },
    camera: null,
    notes: [],
  };

  it("lists every finding with no full address, and no credential even if one slipped into a detail", () => {
    const text = reportText(result, "https://198.51.100.1");
    expect(text).toMatch(/NAT type: Port-restricted cone NAT \(port-restricted-cone\)/);
    expect(text).toMatch(/Relay UDP: pass \(allocated in 41 ms\)/);
    expect(text).toMatch(/Relay TLS: fail/);
    expect(text).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
    expect(text).toContain("203.0.x.x");
  });
});
