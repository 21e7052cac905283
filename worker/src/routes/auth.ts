// Why: accounts: sign up, sign in, sign out, and sign out everywhere (a lost phone, a shared
// laptop). A successful sign-in sets the session cookie; a failed one says only
// invalid_credentials, whether or not the email has an account.
import { Hono, type Context } from "hono";
import { CredentialsSchema, type Me, type SignOutEverywhereResponse } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { clientIp } from "../auth/client-ip.ts";
import { loginThrottle } from "../auth/login-throttle.ts";
import { hashPassword, verifyPassword, verifyPasswordAgainstNobody } from "../auth/password.ts";
import { clearSessionCookie, readSessionCookie, setSessionCookie } from "../auth/session-cookie.ts";
import { mintUserSession, verifyUserSession } from "../auth/user-session.ts";
import { audit } from "../db/audit.ts";
import { camerasOf } from "../db/device-access.ts";
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
  // form that hid it would leave the person stuck. It counts as a failure against the client
  // address, so enumerating accounts through sign-up is throttled like guessing passwords.
  const throttle = loginThrottle(d, email, clientIp(c));
  await throttle.checkAddress();
  const user = { id: newUserId(), email, passwordHash: await hashPassword(password), createdAt: new Date(), sessionVersion: 1 };
  if (!(await insertUser(d, user))) {
    await throttle.failAddress();
    throw new PortholeError("email_taken");
  }
  await audit(d, { kind: "sign_up", actorUserId: user.id });
  log({ event: "user_signed_up", userId: user.id });
  return signedIn(c, user, 201);
});

authRoutes.post("/login", async (c) => {
  const { email, password } = await readBody(c, CredentialsSchema);
  const d = c.var.db;
  const throttle = loginThrottle(d, email, clientIp(c));
  try {
    await throttle.check();
  } catch (err) {
    log({ event: "sign_in_refused", code: "rate_limited" });
    throw err;
  }
  const user = await findUserByEmail(d, email);
  // An unknown email costs the same PBKDF2 as a wrong password, so timing does not tell them apart.
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyPasswordAgainstNobody(password);
  if (!user || !ok) {
    await Promise.all([
      throttle.fail(),
      audit(d, { kind: "sign_in_failed", actorUserId: null, subjectUserId: user?.id ?? null, detail: { ip: clientIp(c) } }),
    ]);
    log({ event: "sign_in_refused", code: "invalid_credentials" });
    throw new PortholeError("invalid_credentials");
  }
  await audit(d, { kind: "sign_in", actorUserId: user.id, detail: { ip: clientIp(c) } });
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
 * right now is cut off with signed_out. This browser is signed out too.
 */
authRoutes.post("/logout-all", async (c) => {
  const token = readSessionCookie(c);
  if (!token) throw new PortholeError("not_signed_in");
  // Verified without renewal (sessionUser would set a fresh cookie): this one is about to go.
  const user = await verifyUserSession(c.env, c.var.db, token);
  const d = c.var.db;
  await bumpSessionVersion(d, user.id);
  const cameras = await camerasOf(d, user.id);
  const ended = await Promise.all(cameras.map((cam) => hubFor(c.env, cam.device.serial).endSessionsForUser(user.id, "signed_out")));
  const sessionsEnded = ended.reduce((a, b) => a + b, 0);
  await audit(d, { kind: "sign_out_everywhere", actorUserId: user.id, detail: { sessionsEnded } });
  log({ event: "user_signed_out_everywhere", userId: user.id, sessionsEnded });
  clearSessionCookie(c);
  c.header("cache-control", "no-store");
  return c.json({ sessionsEnded } satisfies SignOutEverywhereResponse);
});
