// Why: accounts: sign up, sign in, sign out, and sign out everywhere (a lost phone, a shared
// laptop). A successful sign-in sets the session cookie; a failed one says only
// invalid_credentials, whether or not the email has an account.
import { Hono, type Context } from "hono";
import { CredentialsSchema, type Me, type SignOutEverywhereResponse } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { clientIp } from "../auth/client-ip.ts";
import { withSignInAttempt, withSignUpAttempt } from "../auth/login-throttle.ts";
import { hashPassword, verifyPassword, verifyPasswordAgainstNobody } from "../auth/password.ts";
import { clearSessionCookie, readSessionCookie, setSessionCookie } from "../auth/session-cookie.ts";
import { mintUserSession, verifyUserSession } from "../auth/user-session.ts";
import { audit } from "../db/audit.ts";
import { camerasOf } from "../db/device-access.ts";
import { deleteAllPushSubscriptions } from "../db/push-subscriptions.ts";
import { bumpSessionVersion, findUserByEmail, insertUser } from "../db/users.ts";
import { hubFor } from "../hub/hub-request.ts";
import { PortholeError } from "../errors.ts";
import { log } from "../log.ts";
import { newUserId } from "../random.ts";
import { readBody } from "./read-body.ts";

export const authRoutes = new Hono<AppEnv>();

/** Sets the session cookie and answers with the signed-in user. */
async function signedIn(c: Context<AppEnv>, user: { id: string; email: string; sessionVersion: number }, status: 200 | 201) {
  const { token, expiresAt } = await mintUserSession(c.env, user);
  setSessionCookie(c, token);
  c.header("cache-control", "no-store");
  return c.json({ user: { id: user.id, email: user.email }, sessionExpiresAt: new Date(expiresAt * 1000).toISOString() } satisfies Me, status);
}

authRoutes.post("/signup", async (c) => {
  const { email, password } = await readBody(c, CredentialsSchema);
  const d = c.var.db;
  // Signing up with a taken email says so (email_taken): an accepted disclosure, since a sign-up
  // form that hid it would leave the person stuck. Every sign-up counts against the client
  // address, and a taken email also as a failed sign-in of that address, so neither mass sign-ups
  // nor enumerating accounts through sign-up outrun the throttles (auth/login-throttle.ts).
  const user = await withSignUpAttempt(d, c.env, clientIp(c), async () => {
    const row = { id: newUserId(), email, passwordHash: await hashPassword(password), createdAt: new Date(), sessionVersion: 1 };
    if (!(await insertUser(d, row))) throw new PortholeError("email_taken");
    return row;
  });
  await audit(d, { kind: "sign_up", actorUserId: user.id });
  log({ event: "user_signed_up", userId: user.id });
  return signedIn(c, user, 201);
});

authRoutes.post("/login", async (c) => {
  const { email, password } = await readBody(c, CredentialsSchema);
  const d = c.var.db;
  const ip = clientIp(c);
  const user = await withSignInAttempt(d, email, ip, async () => {
    const found = await findUserByEmail(d, email);
    // An unknown email costs the same PBKDF2 as a wrong password, so timing does not tell them apart.
    const ok = found ? await verifyPassword(password, found.passwordHash) : await verifyPasswordAgainstNobody(password);
    if (!found || !ok) {
      await audit(d, { kind: "sign_in_failed", actorUserId: null, subjectUserId: found?.id ?? null, detail: { ip } });
      log({ event: "sign_in_refused", code: "invalid_credentials" });
      throw new PortholeError("invalid_credentials");
    }
    return found;
  }).catch((error: unknown) => {
    // The judge never throws rate_limited: this one is the throttle refusing before any PBKDF2.
    if (error instanceof PortholeError && error.code === "rate_limited") log({ event: "sign_in_refused", code: "rate_limited" });
    throw error;
  });
  await audit(d, { kind: "sign_in", actorUserId: user.id, detail: { ip } });
  log({ event: "user_signed_in", userId: user.id });
  return signedIn(c, user, 200);
});

/** Always succeeds: clearing a cookie needs no valid session (an expired one must be clearable too). */
authRoutes.post("/logout", (c) => {
  clearSessionCookie(c);
  c.header("cache-control", "no-store");
  return c.body(null, 204);
});

/**
 * Ends every session of the signed-in account: each session cookie, on every device, stops
 * working at once (users.session_version), and whoever watches a camera through the account
 * right now is cut off with signed_out, and no browser gets the account's notifications any
 * more (its push subscriptions are forgotten: a lost phone must not keep showing camera names).
 * This browser is signed out too.
 */
authRoutes.post("/logout-all", async (c) => {
  const token = readSessionCookie(c);
  if (!token) throw new PortholeError("not_signed_in");
  // Verified without renewal (sessionUser would set a fresh cookie): this one is about to go.
  const user = await verifyUserSession(c.env, c.var.db, token);
  const d = c.var.db;
  await bumpSessionVersion(d, user.id);
  await deleteAllPushSubscriptions(d, user.id);
  const cameras = await camerasOf(d, user.id);
  const ended = await Promise.all(cameras.map((cam) => hubFor(c.env, cam.device.serial).endSessionsForUser(user.id, "signed_out")));
  const sessionsEnded = ended.reduce((a, b) => a + b, 0);
  await audit(d, { kind: "sign_out_everywhere", actorUserId: user.id, detail: { sessionsEnded } });
  log({ event: "user_signed_out_everywhere", userId: user.id, sessionsEnded });
  clearSessionCookie(c);
  c.header("cache-control", "no-store");
  return c.json({ sessionsEnded } satisfies SignOutEverywhereResponse);
});
