import { describe, expect, it } from "vitest";
import { expectedPath } from "./expected-path.ts";
import { NAT_TYPES } from "./nat-types.ts";

describe("expected path per NAT pair", () => {
  it("expects the LAN path when the viewer is in the camera's LAN, whatever the router", () => {
    for (const camera of NAT_TYPES) expect(expectedPath(camera, "same-lan")).toBe("lan");
  });

  it("expects a relay for symmetric against symmetric or port-restricted, in both directions", () => {
    expect(expectedPath("symmetric", "symmetric")).toBe("relay");
    expect(expectedPath("symmetric", "port-restricted")).toBe("relay");
    expect(expectedPath("port-restricted", "symmetric")).toBe("relay");
  });

  it("expects a hole-punched path for the other 13 of the 16 NAT pairs", () => {
    const p2p = NAT_TYPES.flatMap((c) => NAT_TYPES.map((v) => expectedPath(c, v))).filter((p) => p === "p2p");
    expect(p2p).toHaveLength(13);
    expect(expectedPath("symmetric", "full-cone")).toBe("p2p");
    expect(expectedPath("restricted-cone", "symmetric")).toBe("p2p");
    expect(expectedPath("port-restricted", "port-restricted")).toBe("p2p");
  });

  it("expects a relay whenever either home lets no UDP out, even between full-cone NATs", () => {
    expect(expectedPath("full-cone", "full-cone", "no-udp")).toBe("relay");
    expect(expectedPath("full-cone", "full-cone", "open", "no-udp")).toBe("relay");
    expect(expectedPath("restricted-cone", "port-restricted", "tcp-443")).toBe("relay");
    expect(expectedPath("full-cone", "full-cone", "open", "open")).toBe("p2p");
  });
});
