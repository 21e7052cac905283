import { describe, expect, it } from "vitest";
import { predictPath, type NatSide } from "../../../protocol/path-prediction.ts";
import { natTypeOf, networkVerdict, predictionAdvice } from "./verdict.ts";

const side = (mapping: NatSide["mapping"], filtering: NatSide["filtering"], udpBlocked = false): NatSide => ({ mapping, filtering, udpBlocked });
const relaysOk = [{ transport: "udp" as const, ok: true }, { transport: "tcp" as const, ok: true }];

describe("natTypeOf", () => {
  it("names the RFC 3489 classes the agent names", () => {
    expect(natTypeOf(side("endpoint-independent", "endpoint-independent"))).toBe("full-cone");
    expect(natTypeOf(side("endpoint-independent", "address-dependent"))).toBe("restricted-cone");
    expect(natTypeOf(side("endpoint-independent", "address-and-port-dependent"))).toBe("port-restricted-cone");
    expect(natTypeOf(side("address-and-port-dependent", "address-and-port-dependent"))).toBe("symmetric");
    expect(natTypeOf(side("none", "endpoint-independent"))).toBe("open-internet");
    expect(natTypeOf(side("unknown", "unknown", true))).toBe("udp-blocked");
  });
});

describe("networkVerdict", () => {
  it("says in plain words that cameras can reach a cone NAT with open filtering", () => {
    expect(networkVerdict(side("endpoint-independent", "endpoint-independent"), relaysOk)).toMatch(/cone NAT that accepts replies from any address — cameras can reach you directly/);
  });

  it("warns that a symmetric NAT gets some cameras relayed", () => {
    expect(networkVerdict(side("address-and-port-dependent", "address-and-port-dependent"), relaysOk)).toBe("Your network: symmetric NAT — some cameras will be relayed.");
  });

  it("names the relay transports that still work when UDP is blocked", () => {
    expect(networkVerdict(side("unknown", "unknown", true), [{ transport: "udp", ok: false }, { transport: "tcp", ok: true }, { transport: "tls", ok: true }])).toMatch(/relay over TCP\/TLS; expect more delay/);
    expect(networkVerdict(side("unknown", "unknown", true), [])).toMatch(/will not work/);
  });
});

describe("predictionAdvice", () => {
  it("tells the owner to change the camera's router when its symmetric NAT meets port filtering", () => {
    const p = predictPath(side("address-and-port-dependent", "address-and-port-dependent"), side("endpoint-independent", "address-and-port-dependent"));
    expect(p.path).toBe("relay");
    expect(predictionAdvice(p, relaysOk)).toMatch(/UPnP\/NAT-PMP or a "full cone"/);
  });

  it("tells the viewer to try another network when theirs blocks UDP, and warns when no relay answered", () => {
    const p = predictPath(side("endpoint-independent", "endpoint-independent"), side("unknown", "unknown", true));
    expect(predictionAdvice(p, relaysOk)).toMatch(/allow UDP 3478/);
    expect(predictionAdvice(p, [])).toMatch(/likely fail/);
  });

  it("says nothing needs changing on the same network or a punchable pair", () => {
    expect(predictionAdvice(predictPath(null, null, { sameNetwork: true }), relaysOk)).toMatch(/local network/);
    expect(predictionAdvice(predictPath(side("endpoint-independent", "endpoint-independent"), side("address-and-port-dependent", "address-and-port-dependent")), relaysOk)).toMatch(/nothing to change/);
  });
});
