// Why: the pieces every agent-vs-fake-edge test needs, once: a source that produces nothing, an
// edge signing key with the grant verifier the agent gets and a signer for the edge's side, and
// a poll-until helper.
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { EDGE_ISSUER, VIEWER_TICKET_AUDIENCE } from "../../protocol/index.ts";
import type { GrantVerifier } from "../src/grant/grant-verifier.ts";
import { verifyGrant } from "../src/grant/verify-grant.ts";
import type { MediaSource } from "../src/media/source.ts";

/** A source that produces nothing: for tests about signaling and sessions, not media. */
export const idleSource: MediaSource = {
  description: "idle",
  videoCodecs: ["VP8"],
  audio: false,
  start: async () => {},
  stop: async () => {},
  onFatal: () => () => {},
  onPacket: () => () => {},
};

export interface EdgeGrants {
  /** What the agent verifies grants with (the edge's public key, this serial). */
  verifier: GrantVerifier;
  /** A guest grant for a session, as the edge signs it; `key` signs it as someone else. */
  sign(sessionId: string, extra?: JWTPayload, key?: CryptoKey): Promise<string>;
}

export async function createEdgeGrants(serial: string): Promise<EdgeGrants> {
  const edgeKey = await generateKeyPair("ES256");
  return {
    verifier: { init: async () => {}, verify: (g, sid) => verifyGrant(g, { key: edgeKey.publicKey, serial, sessionId: sid }) },
    sign(sessionId, extra = {}, key = edgeKey.privateKey) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: EDGE_ISSUER, aud: VIEWER_TICKET_AUDIENCE, sub: serial, sid: sessionId, uid: "u-1", role: "guest", iat: now, exp: now + 60, ...extra })
        .setProtectedHeader({ alg: "ES256" })
        .sign(key);
    },
  };
}

/** Polls until `probe` returns something other than undefined/false; throws after `ms`. */
export async function until<T>(probe: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
