import { describe, expect, it } from "vitest";
import { classifyNat, NAT_TYPE_LABELS, type FilteringBehavior, type MappingBehavior } from "./classify.ts";

const nat = (mapping: MappingBehavior, filtering: FilteringBehavior) => classifyNat({ udpBlocked: false, mapping, filtering });

describe("NAT classification (RFC 5780 behaviours → RFC 3489 names)", () => {
  it("names the three cone types by their filtering when the mapping is endpoint-independent", () => {
    expect(nat("endpoint-independent", "endpoint-independent")).toBe("full-cone");
    expect(nat("endpoint-independent", "address-dependent")).toBe("restricted-cone");
    expect(nat("endpoint-independent", "address-and-port-dependent")).toBe("port-restricted-cone");
  });

  it("calls any destination-dependent mapping symmetric, whatever the filtering", () => {
    for (const mapping of ["address-dependent", "address-and-port-dependent", "endpoint-dependent"] as const) {
      for (const filtering of ["endpoint-independent", "address-dependent", "address-and-port-dependent", "unknown"] as const) {
        expect(nat(mapping, filtering), `${mapping}/${filtering}`).toBe("symmetric");
      }
    }
  });

  it("tells open internet from a firewall when there is no translation", () => {
    expect(nat("none", "endpoint-independent")).toBe("open-internet");
    expect(nat("none", "address-dependent")).toBe("symmetric-udp-firewall");
    expect(nat("none", "address-and-port-dependent")).toBe("symmetric-udp-firewall");
  });

  it("gives a partial verdict, not a guess, when the server could not test filtering", () => {
    expect(nat("endpoint-independent", "unknown")).toBe("cone");
    expect(nat("none", "unknown")).toBe("no-nat");
    expect(nat("unknown", "unknown")).toBe("unknown");
  });

  it("reports UDP blocked before anything else", () => {
    expect(classifyNat({ udpBlocked: true, mapping: "unknown", filtering: "unknown" })).toBe("udp-blocked");
  });

  it("has a label for every type", () => {
    expect(NAT_TYPE_LABELS["port-restricted-cone"]).toBe("Port-restricted cone NAT");
    expect(Object.values(NAT_TYPE_LABELS).every((l) => l.length > 0)).toBe(true);
  });
});
