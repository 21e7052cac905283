// Why: one place that holds the edge's key (pinned or fetched on first use) and answers "may
// this session start?" for the agent; injected so the agent is testable with any key.
import { calculateJwkThumbprint, type CryptoKey, type JWK } from "jose";
import type { Logger } from "../log.ts";
import { fetchEdgeJwk, importEdgeKey } from "./edge-key.ts";
import { GrantError, verifyGrant, type VerifiedGrant } from "./verify-grant.ts";

export interface GrantVerifier {
  /** Loads the key (pinned, or fetched once from the edge). Never throws: failures are logged. */
  init(): Promise<void>;
  /** Throws GrantError when the grant does not allow this session on this camera. */
  verify(grant: string, sessionId: string): Promise<VerifiedGrant>;
}

/** A failed first fetch is retried at a session-start, at most this often. */
const REFETCH_MS = 30_000;

export function createGrantVerifier(o: {
  serial: string;
  edge: string;
  pinned?: JWK;
  logger: Logger;
  fetchImpl?: typeof fetch;
  now?: () => number;
}): GrantVerifier {
  const now = o.now ?? Date.now;
  let key: CryptoKey | undefined;
  let lastFetchAt = -Infinity;

  const load = async (): Promise<void> => {
    if (o.pinned) {
      key = await importEdgeKey(o.pinned);
      o.logger.info({ event: "edge_key_pinned", thumbprint: await calculateJwkThumbprint(o.pinned) });
      return;
    }
    lastFetchAt = now();
    try {
      const jwk = await fetchEdgeJwk(o.edge, o.fetchImpl);
      key = await importEdgeKey(jwk);
      // Trust on first use: whoever answered this request is trusted from now on. Pin the key
      // with --edge-jwks to close that window.
      o.logger.warn({ event: "edge_key_trust_on_first_use", edge: o.edge, thumbprint: await calculateJwkThumbprint(jwk) });
    } catch (e) {
      o.logger.error({ event: "edge_key_unavailable", edge: o.edge, message: (e as Error).message });
    }
  };

  return {
    init: load,
    async verify(grant, sessionId) {
      if (!key && !o.pinned && now() - lastFetchAt >= REFETCH_MS) await load();
      if (!key) throw new GrantError("the edge's public key is unknown");
      return verifyGrant(grant, { key, serial: o.serial, sessionId });
    },
  };
}
