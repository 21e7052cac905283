import { describe, expect, it } from "vitest";
import { classifyFiltering } from "./filtering.ts";

// The lab's layout: coturn relays from .10 (its primary STUN address) and answers STUN on .11.
const relay = "198.51.100.10";
const alt = (reached: boolean | null) => ({ contactedHost: "198.51.100.11", reached });
const primary = (reached: boolean | null) => ({ contactedHost: "198.51.100.10", reached });

describe("classifyFiltering (RFC 4787 §5)", () => {
  it("calls checks that arrive from an address the browser never contacted endpoint-independent (full cone)", () => {
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: alt(true), viaPrimary: primary(true) })).toEqual({ filtering: "endpoint-independent", lowerBound: false });
  });

  it("calls checks that pass only from the contacted address's other port address-dependent (restricted cone)", () => {
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: alt(false), viaPrimary: primary(true) })).toEqual({ filtering: "address-dependent", lowerBound: false });
  });

  it("calls checks that never pass address-and-port-dependent (port-restricted cone)", () => {
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: alt(false), viaPrimary: primary(false) }).filtering).toBe("address-and-port-dependent");
  });

  it("without a second address, a pass is only known to be no stricter than address-dependent", () => {
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: null, viaPrimary: primary(true) })).toEqual({ filtering: "address-dependent", lowerBound: true });
  });

  it("with a relay on another address than the contacted server, a pass is endpoint-independent", () => {
    expect(classifyFiltering({ relayAddress: "203.0.113.50", viaAltAddress: null, viaPrimary: primary(true) }).filtering).toBe("endpoint-independent");
  });

  it("takes a relay named by host name to be on the primary server", () => {
    const named = { contactedHost: "turn.example.com", reached: true };
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: { contactedHost: "stun2.example.com", reached: false }, viaPrimary: named }).filtering).toBe("address-dependent");
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: null, viaPrimary: { ...named, reached: false } }).filtering).toBe("address-and-port-dependent");
  });

  it("says unknown without a relay or when no trial could run", () => {
    expect(classifyFiltering({ relayAddress: null, viaAltAddress: alt(true), viaPrimary: primary(true) }).filtering).toBe("unknown");
    expect(classifyFiltering({ relayAddress: relay, viaAltAddress: alt(null), viaPrimary: primary(null) }).filtering).toBe("unknown");
  });
});
