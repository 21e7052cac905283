import { describe, expect, it } from "vitest";
import { classifyMapping, type ProbeOutcome } from "./mapping.ts";

const probes = (p: string | null, a: string | null, ap: string | null, answered = [true, true, true], apPartner: "alt-address" | "primary" = "alt-address"): ProbeOutcome[] => [
  { role: "primary", answered: answered[0]!, mapped: p },
  { role: "alt-address", answered: answered[1]!, mapped: a },
  { role: "alt-port", sameAddressAs: apPartner, answered: answered[2]!, mapped: ap },
];

describe("classifyMapping", () => {
  it("calls one mapping seen by three servers endpoint-independent (the duplicates were dropped)", () => {
    const r = classifyMapping({ probes: probes("1.1.1.1:5", null, null), mappings: ["1.1.1.1:5"], noTranslation: false });
    expect(r).toEqual({ mapping: "endpoint-independent", coverage: "full" });
  });

  it("calls three mappings for three destinations address-and-port-dependent", () => {
    const r = classifyMapping({ probes: probes("1.1.1.1:5", "1.1.1.1:6", "1.1.1.1:7"), mappings: ["1.1.1.1:5", "1.1.1.1:6", "1.1.1.1:7"], noTranslation: false });
    expect(r.mapping).toBe("address-and-port-dependent");
  });

  it("calls a mapping that changes with the address but not the port address-dependent", () => {
    const r = classifyMapping({ probes: probes("1.1.1.1:5", "1.1.1.1:6", null), mappings: ["1.1.1.1:5", "1.1.1.1:6"], noTranslation: false });
    expect(r.mapping).toBe("address-dependent");
  });

  it("says endpoint-dependent when only another address was asked and the mapping changed", () => {
    const r = classifyMapping({ probes: probes("1.1.1.1:5", "1.1.1.1:6", null, [true, true, false]), mappings: ["1.1.1.1:5", "1.1.1.1:6"], noTranslation: false });
    expect(r).toEqual({ mapping: "endpoint-dependent", coverage: "address-only" });
  });

  it("with only the alternate port (no second address), reports what it saw and that coverage", () => {
    const same = classifyMapping({ probes: probes("1.1.1.1:5", null, null, [true, false, true], "primary"), mappings: ["1.1.1.1:5"], noTranslation: false });
    expect(same).toEqual({ mapping: "endpoint-independent", coverage: "port-only" });
    const changed = classifyMapping({ probes: probes("1.1.1.1:5", null, "1.1.1.1:9", [true, false, true], "primary"), mappings: ["1.1.1.1:5", "1.1.1.1:9"], noTranslation: false });
    expect(changed.mapping).toBe("address-and-port-dependent");
  });

  it("says none when the server saw the host's own address, unknown with one server or none", () => {
    expect(classifyMapping({ probes: probes(null, null, null), mappings: [], noTranslation: true }).mapping).toBe("none");
    expect(classifyMapping({ probes: probes("1.1.1.1:5", null, null, [true, false, false]), mappings: ["1.1.1.1:5"], noTranslation: false })).toEqual({ mapping: "unknown", coverage: "single-server" });
    expect(classifyMapping({ probes: probes(null, null, null, [false, false, false]), mappings: [], noTranslation: false })).toEqual({ mapping: "unknown", coverage: "none" });
  });
});
