import { describe, expect, it } from "vitest";
import { formatViewerNatParam, parseViewerNatParam } from "./viewer-edge.ts";

describe("the viewer's NAT as a URL parameter", () => {
  it("round-trips every field", () => {
    const side = { mapping: "endpoint-independent", filtering: "address-and-port-dependent", udpBlocked: true } as const;
    expect(parseViewerNatParam(formatViewerNatParam(side))).toEqual(side);
  });

  it("reads anything that is not exactly one NAT side as absent", () => {
    for (const bad of [undefined, null, "", "endpoint-independent", "endpoint-independent.address-dependent", "endpoint-independent.address-dependent.2", "sideways.address-dependent.0", "endpoint-independent.address-dependent.0.extra", "x".repeat(200)]) {
      expect(parseViewerNatParam(bad)).toBeUndefined();
    }
  });
});
