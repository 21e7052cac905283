// Why: security-relevant actions are appended to audit_events so an owner (and an operator) can
// answer "who did what to this camera, when". Never secrets in `detail`.
import type { Db } from "./client.ts";
import { auditEvents } from "./schema.ts";

export type AuditKind = "sign_up" | "sign_in" | "sign_in_failed" | "sign_out_everywhere" | "claim" | "release" | "rename" | "settings" | "rotate_code" | "share" | "unshare";

export interface AuditEntry {
  kind: AuditKind;
  actorUserId?: string | null;
  serial?: string | null;
  subjectUserId?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

export async function audit(d: Db, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await d
    .insert(auditEvents)
    .values({
      at,
      kind: entry.kind,
      actorUserId: entry.actorUserId ?? null,
      serial: entry.serial ?? null,
      subjectUserId: entry.subjectUserId ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .run();
}
