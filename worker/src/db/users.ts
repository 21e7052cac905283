// Why: user rows — lookups for sign-in and sessions, creation that cannot race on the email.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { prepared } from "./prepared.ts";
import { users, type UserRow } from "./schema.ts";

const userById = (d: Db) => d.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare();

export async function findUserById(d: Db, id: string): Promise<UserRow | undefined> {
  return prepared(d, userById).get({ id });
}

/** `email` must already be normalized (EmailSchema lower-cases and trims). */
export async function findUserByEmail(d: Db, email: string): Promise<UserRow | undefined> {
  return d.select().from(users).where(eq(users.email, email)).get();
}

/** Inserts unless the email exists (unique index); returns whether it was inserted. */
export async function insertUser(d: Db, row: typeof users.$inferInsert): Promise<boolean> {
  const res = await d.insert(users).values(row).onConflictDoNothing().run();
  return res.meta.changes === 1;
}

/**
 * "Sign out everywhere": every session cookie carries the version it was minted with, and
 * verification compares it with this column, so one increment ends every copy at once.
 */
export async function bumpSessionVersion(d: Db, id: string): Promise<void> {
  await d.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, id)).run();
}
