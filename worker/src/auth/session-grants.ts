// Why: a viewer session starts with two signed tokens made together — the grant the camera
// verifies before it offers (ticket.ts) and the token for the session's own report
// (report-token.ts) — under one fresh session id. POST /api/sessions and /ws/watch both start
// sessions; this is the one place that does it.
import type { NatSide } from "../../../protocol/index.ts";
import { newSessionId } from "../random.ts";
import { mintReportToken } from "./report-token.ts";
import { mintViewerTicket, type GrantSubject } from "./ticket.ts";

export interface SessionGrants {
  sessionId: string;
  ticket: string;
  /** Epoch seconds. */
  expiresAt: number;
  reportToken: string;
}

export async function mintSessionGrants(env: { EDGE_SIGNING_JWK?: string }, serial: string, subject: GrantSubject, viewerNat?: NatSide): Promise<SessionGrants> {
  const sessionId = newSessionId();
  const [{ ticket, expiresAt }, reportToken] = await Promise.all([
    mintViewerTicket(env, serial, sessionId, subject, undefined, viewerNat),
    mintReportToken(env, serial, sessionId, subject),
  ]);
  return { sessionId, ticket, expiresAt, reportToken };
}
