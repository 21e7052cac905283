// Where the agent's edge key comes from: pinned, or fetched once (trust on first use); with
// neither, every session is refused rather than started unchecked.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { EDGE_ISSUER, VIEWER_TICKET_AUDIENCE } from "../../../protocol/index.ts";
import { createLogger } from "../log.ts";
import { createGrantVerifier } from "./grant-verifier.ts";

let edge: { privateKey: CryptoKey; publicKey: CryptoKey };
let grant: string;

beforeAll(async () => {
  edge = await generateKeyPair("ES256", { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  grant = await new SignJWT({ iss: EDGE_ISSUER, aud: VIEWER_TICKET_AUDIENCE, sub: "CAM-TOFU-1", sid: "S-TOFU-000001", uid: null, role: "code", exp: now + 60 })
    .setProtectedHeader({ alg: "ES256" })
    .sign(edge.privateKey);
});

function logs() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger({ level: "debug", sink: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) };
}

describe("grant verifier", () => {
  it("verifies with a pinned key and never fetches", async () => {
    const { logger } = logs();
    const fetchImpl = (() => {
      throw new Error("must not fetch");
    }) as unknown as typeof fetch;
    const v = createGrantVerifier({ serial: "CAM-TOFU-1", edge: "http://edge.test", pinned: await exportJWK(edge.publicKey), logger, fetchImpl });
    await v.init();
    await expect(v.verify(grant, "S-TOFU-000001")).resolves.toMatchObject({ role: "code" });
  });

  it("fetches the key once when none is pinned and logs it as trust on first use", async () => {
    const { lines, logger } = logs();
    let calls = 0;
    const jwk = await exportJWK(edge.publicKey);
    const fetchImpl = (async () => {
      calls++;
      return new Response(JSON.stringify({ keys: [{ ...jwk, alg: "ES256", use: "sig" }] }));
    }) as unknown as typeof fetch;
    const v = createGrantVerifier({ serial: "CAM-TOFU-1", edge: "http://edge.test", logger, fetchImpl });
    await v.init();
    await v.verify(grant, "S-TOFU-000001");
    await v.verify(grant, "S-TOFU-000001");
    expect(calls).toBe(1);
    expect(lines.some((l) => l.event === "edge_key_trust_on_first_use")).toBe(true);
  });

  it("refuses every session while the key could not be obtained", async () => {
    const { logger } = logs();
    const fetchImpl = (async () => new Response("nope", { status: 503 })) as unknown as typeof fetch;
    const v = createGrantVerifier({ serial: "CAM-TOFU-1", edge: "http://edge.test", logger, fetchImpl });
    await v.init();
    await expect(v.verify(grant, "S-TOFU-000001")).rejects.toThrow(/public key is unknown/);
  });
});
