import { describe, expect, it } from "vitest";
import { natSummary } from "./deps.ts";
import { evaluateNat } from "./nat.ts";

describe("the doctor's NAT checks on the agent's RFC 5780 discovery", () => {
  it("explains a port-restricted cone NAT that hairpins as two passes, with the public address", () => {
    const summary = natSummary({
      natType: "port-restricted-cone",
      udpBlocked: false,
      mapping: "endpoint-independent",
      filtering: "address-and-port-dependent",
      hairpinning: true,
      mappedAddress: { ip: "203.0.113.5", port: 41000 },
      server: "turn.test:3478",
      rfc5780: true,
      durationMs: 300,
    });
    expect(summary).toMatchObject({ label: "Port-restricted cone NAT", mappedAddress: "203.0.113.5:41000" });
    const [nat, hairpin] = evaluateNat({ ok: true, summary });
    expect(nat).toMatchObject({ status: "pass", message: "Port-restricted cone NAT: most viewers can connect directly." });
    expect(hairpin).toMatchObject({ status: "pass", code: "ok" });
  });

  it("calls UDP blocked a warning and leaves hairpinning untested", () => {
    const summary = natSummary({ natType: "udp-blocked", udpBlocked: true, mapping: "unknown", filtering: "unknown", hairpinning: null, server: "t:3478", rfc5780: false, durationMs: 4500, error: "no STUN answer" });
    expect(evaluateNat({ ok: true, summary }).map((c) => [c.code, c.status])).toEqual([["nat_udp_blocked", "warn"], ["not_available", "skip"]]);
  });
});
