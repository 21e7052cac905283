// The edge key the agent pins or fetches: only a public ES256 key is accepted.
import { describe, expect, it } from "vitest";
import { fetchEdgeJwk, pickEdgeJwk, readEdgeJwksArg } from "./edge-key.ts";

const PUB = { kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };

describe("edge key", () => {
  it("picks the ES256 key from a JWKS or takes a bare JWK", () => {
    expect(pickEdgeJwk({ keys: [{ kty: "OKP", crv: "Ed25519", x: "a" }, { ...PUB, use: "sig", alg: "ES256", kid: "edge-1" }] })).toEqual(PUB);
    expect(pickEdgeJwk(PUB)).toEqual(PUB);
  });

  it("refuses a JWKS that carries the private key", () => {
    expect(() => pickEdgeJwk({ keys: [{ ...PUB, d: "secret" }] })).toThrow(/private/);
  });

  it("refuses a JWKS without an ES256 key", () => {
    expect(() => pickEdgeJwk({ keys: [{ kty: "RSA", n: "x", e: "AQAB" }] })).toThrow(/no EC P-256/);
  });

  it("reads --edge-jwks as inline JSON or as a file", () => {
    expect(readEdgeJwksArg(JSON.stringify({ keys: [PUB] }), () => "")).toEqual(PUB);
    expect(readEdgeJwksArg("/etc/porthole/edge.jwks", (p) => (p === "/etc/porthole/edge.jwks" ? JSON.stringify(PUB) : ""))).toEqual(PUB);
  });

  it("fetches /api/edge/jwks from the edge", async () => {
    const seen: string[] = [];
    const fake = (async (url: URL) => {
      seen.push(String(url));
      return new Response(JSON.stringify({ keys: [PUB] }), { status: 200 });
    }) as unknown as typeof fetch;
    expect(await fetchEdgeJwk("http://127.0.0.1:8787", fake)).toEqual(PUB);
    expect(seen).toEqual(["http://127.0.0.1:8787/api/edge/jwks"]);
  });
});
