import { describe, expect, it } from "vitest";
import { expectedNatType } from "./expected-nat.ts";
import { cameraDetectionPassed } from "./grid-record.ts";
import { formatNatDetectionTable } from "./nat-detection.ts";

describe("expected camera NAT detection per router mode", () => {
  it("names each router mode with its RFC 3489 type", () => {
    expect(expectedNatType("no-nat")).toBe("open-internet");
    expect(expectedNatType("full-cone")).toBe("full-cone");
    expect(expectedNatType("restricted-cone")).toBe("restricted-cone");
    expect(expectedNatType("port-restricted")).toBe("port-restricted-cone");
    expect(expectedNatType("symmetric")).toBe("symmetric");
  });

  it("expects UDP blocked behind a home that lets no UDP out, whatever its NAT", () => {
    expect(expectedNatType("port-restricted", "no-udp")).toBe("udp-blocked");
    expect(expectedNatType("full-cone", "tcp-443")).toBe("udp-blocked");
  });

  it("passes a grid record whose camera was detected as configured, or not tested, and fails one detected wrong", () => {
    const base = { viewer_nat: "full-cone", connected: true, path: "p2p", ttff_ms: 1, expected_path: "p2p" } as const;
    expect(cameraDetectionPassed({ ...base, camera_nat: "symmetric", camera_detected: "symmetric" })).toBe(true);
    expect(cameraDetectionPassed({ ...base, camera_nat: "symmetric" })).toBe(true);
    expect(cameraDetectionPassed({ ...base, camera_nat: "port-restricted", camera_egress: "no-udp", camera_detected: "udp-blocked" })).toBe(true);
    expect(cameraDetectionPassed({ ...base, camera_nat: "full-cone", camera_detected: "restricted-cone" })).toBe(false);
  });

  it("prints the detection table with one row per router mode and marks a wrong one", () => {
    const table = formatNatDetectionTable([
      { router: "no-nat", expected: "open-internet", detected: "open-internet", mapping: "none", filtering: "endpoint-independent", hairpinning: null, duration_ms: 12 },
      { router: "symmetric", expected: "symmetric", detected: "port-restricted-cone", mapping: "endpoint-independent", filtering: "address-and-port-dependent", hairpinning: false, duration_ms: 1210 },
    ]).split("\n");
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^\| camera router \| detected +\| mapping +\| filtering +\| hairpin \| ms +\| result/);
    expect(table[2]).toMatch(/^\| no-nat +\| open-internet +\| none +\| endpoint-independent +\| — +\| 12 +\| ok/);
    expect(table[3]).toMatch(/WRONG \(expected symmetric\) \|$/);
  });
});
