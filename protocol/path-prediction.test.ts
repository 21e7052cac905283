import { describe, expect, it } from "vitest";
import { predictPath, type NatSide } from "./path-prediction.ts";

const side = (mapping: NatSide["mapping"], filtering: NatSide["filtering"], udpBlocked = false): NatSide => ({ mapping, filtering, udpBlocked });
const fullCone = side("endpoint-independent", "endpoint-independent");
const restricted = side("endpoint-independent", "address-dependent");
const portRestricted = side("endpoint-independent", "address-and-port-dependent");
const symmetric = side("address-and-port-dependent", "address-and-port-dependent");
const open = side("none", "endpoint-independent");

describe("predictPath", () => {
  it("punches every pair of cone NATs, whatever they filter", () => {
    for (const a of [fullCone, restricted, portRestricted, open]) for (const b of [fullCone, restricted, portRestricted, open]) expect(predictPath(a, b).path).toBe("p2p");
  });

  it("relays a symmetric NAT facing a port-restricted cone or another symmetric NAT, on either side", () => {
    expect(predictPath(symmetric, portRestricted)).toEqual({ path: "relay", reason: "camera-symmetric-viewer-port-filtering" });
    expect(predictPath(portRestricted, symmetric)).toEqual({ path: "relay", reason: "viewer-symmetric-camera-port-filtering" });
    expect(predictPath(symmetric, symmetric)).toEqual({ path: "relay", reason: "both-symmetric" });
  });

  it("punches a symmetric NAT facing a full or restricted cone, whose filtering ignores the port", () => {
    expect(predictPath(symmetric, fullCone).path).toBe("p2p");
    expect(predictPath(symmetric, restricted).path).toBe("p2p");
    expect(predictPath(restricted, symmetric).path).toBe("p2p");
  });

  it("relays when either side blocks UDP, before anything else is known", () => {
    expect(predictPath(side("unknown", "unknown", true), null)).toEqual({ path: "relay", reason: "camera-udp-blocked" });
    expect(predictPath(fullCone, side("unknown", "unknown", true))).toEqual({ path: "relay", reason: "viewer-udp-blocked" });
  });

  it("says lan for two ends behind one public address", () => {
    expect(predictPath(symmetric, symmetric, { sameNetwork: true })).toEqual({ path: "lan", reason: "same-network" });
  });

  it("says unknown, naming the side, when the behaviour that decides was not measured", () => {
    expect(predictPath(null, fullCone)).toEqual({ path: "unknown", reason: "camera-unknown" });
    expect(predictPath(fullCone, null)).toEqual({ path: "unknown", reason: "viewer-unknown" });
    expect(predictPath(symmetric, side("endpoint-independent", "unknown"))).toEqual({ path: "unknown", reason: "viewer-unknown" });
    expect(predictPath(side("unknown", "unknown"), fullCone)).toEqual({ path: "unknown", reason: "camera-unknown" });
  });

  it("needs no filtering on either side when neither maps per destination", () => {
    expect(predictPath(side("endpoint-independent", "unknown"), side("endpoint-independent", "unknown")).path).toBe("p2p");
  });
});
