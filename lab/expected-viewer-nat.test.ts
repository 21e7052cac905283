import { describe, expect, it } from "vitest";
import { expectedViewerNat, viewerVerdictOf } from "./expected-viewer-nat.ts";

describe("the browser's NAT verdict the lab expects", () => {
  it("calls the three cone routers cone and the symmetric one symmetric; port filtering only behind port-restricted and symmetric", () => {
    expect(expectedViewerNat("full-cone", "port-restricted")).toEqual({ verdict: "cone", portFiltering: false });
    expect(expectedViewerNat("restricted-cone", "port-restricted")).toEqual({ verdict: "cone", portFiltering: false });
    expect(expectedViewerNat("port-restricted", "full-cone")).toEqual({ verdict: "cone", portFiltering: true });
    expect(expectedViewerNat("symmetric", "full-cone")).toEqual({ verdict: "symmetric", portFiltering: true });
  });

  it("judges a same-LAN viewer by the camera's router, and a home that lets no UDP out as UDP blocked", () => {
    expect(expectedViewerNat("same-lan", "symmetric")).toEqual({ verdict: "symmetric", portFiltering: true });
    expect(expectedViewerNat("full-cone", "full-cone", "no-udp")).toEqual({ verdict: "udp-blocked", portFiltering: null });
  });

  it("reads a browser's mapping and filtering in the same terms", () => {
    expect(viewerVerdictOf({ mapping: "endpoint-independent", filtering: "address-dependent", udpBlocked: false })).toEqual({ verdict: "cone", portFiltering: false });
    expect(viewerVerdictOf({ mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", udpBlocked: false })).toEqual({ verdict: "symmetric", portFiltering: true });
    expect(viewerVerdictOf({ mapping: "unknown", filtering: "unknown", udpBlocked: true })).toEqual({ verdict: "udp-blocked", portFiltering: null });
    expect(viewerVerdictOf({ mapping: "unknown", filtering: "unknown", udpBlocked: false })).toEqual({ verdict: "unknown", portFiltering: null });
  });
});
