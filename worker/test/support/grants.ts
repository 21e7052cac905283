// Why: hub tests need many viewer grants fast and for any role; minting them with the edge's
// key (as POST /api/sessions does) keeps those tests about the hub, not about the HTTP API.
import { env } from "cloudflare:workers";
import { mintViewerTicket, type GrantSubject } from "../../src/auth/ticket.ts";
import { newSessionId } from "../../src/random.ts";

export interface TestGrant {
  ticket: string;
  sessionId: string;
}

/** A grant for `serial` (default: access-code viewing, which the camera must allow). */
export async function mintGrant(serial: string, subject: GrantSubject = { userId: null, role: "code" }): Promise<TestGrant> {
  const sessionId = newSessionId();
  const { ticket } = await mintViewerTicket(env, serial, sessionId, subject);
  return { ticket, sessionId };
}

/** Sets the camera's viewer limit and lets access-code grants in (both straight in D1). */
export async function setCameraPolicy(serial: string, maxViewers: number, allowCodeViewing = true): Promise<void> {
  await env.DB.prepare("UPDATE devices SET max_viewers = ?, allow_code_viewing = ? WHERE serial = ?")
    .bind(maxViewers, allowCodeViewing ? 1 : 0, serial)
    .run();
}

/** A user with a role on the camera, inserted straight into D1. */
export async function grantAccess(serial: string, userId: string, role: "owner" | "viewer" | "guest"): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO users (id, email, password_hash, created_at) VALUES (?, ?, 'x', ?)").bind(userId, `${userId}@test.invalid`, Date.now()),
    env.DB.prepare("INSERT INTO device_access (serial, user_id, role, created_at) VALUES (?, ?, ?, ?)").bind(serial, userId, role, Date.now()),
  ]);
}

export function hubStub(serial: string) {
  return env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(serial));
}
