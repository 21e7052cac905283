// Sign out everywhere through the real route and DeviceHub in workerd: one call ends the
// account's sessions on every device, and whoever watches through the account is cut off.
import { afterEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE_NAME, USER_SESSION_TTL_SECONDS } from "../../protocol/index.ts";
import { api, claim, cookieMintedAt, PASSWORD, sessionCookieOf, signUp, startUserViewer } from "./support/accounts.ts";
import { connectDevice } from "./support/connect.ts";
import { errorOf } from "./support/http.ts";
import { provisionDevice } from "./support/provision.ts";
import { closeAllSockets } from "./support/test-socket.ts";

afterEach(closeAllSockets);

describe("sign out everywhere", () => {
  it("ends every session of the account, on every device, and cuts a live viewer with signed_out", async () => {
    const device = await provisionDevice();
    const deviceSocket = await connectDevice(device);
    const phone = await signUp();
    await claim(phone, device);
    // The same account signed in on a laptop too.
    const login = await api("POST", "/api/auth/login", { body: { email: phone.email, password: PASSWORD } });
    const laptop = sessionCookieOf(login);
    expect(laptop).toBeTruthy();
    const { viewer, sessionId } = await startUserViewer(phone, device.serial, deviceSocket);

    const res = await api("POST", "/api/auth/logout-all", { cookie: laptop!, body: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sessionsEnded: 1 });
    expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE_NAME}=;.*Max-Age=0`, "i"));

    for (const cookie of [phone.cookie, laptop!]) {
      const me = await api("GET", "/api/me", { cookie });
      expect(me.status).toBe(401);
      expect((await errorOf(me)).code).toBe("not_signed_in");
    }
    expect(await viewer.expectMessage("error")).toMatchObject({ code: "signed_out" });
    expect((await viewer.waitClosed()).code).toBe(4401);
    expect(await deviceSocket.expectMessage("session-end")).toMatchObject({ sessionId, reason: "signed_out" });

    // Signing in again works as before.
    const again = await api("POST", "/api/auth/login", { body: { email: phone.email, password: PASSWORD } });
    expect(again.status).toBe(200);
    expect((await api("GET", "/api/me", { cookie: sessionCookieOf(again)! })).status).toBe(200);
  });

  it("clears a cookie due for renewal without handing out a fresh one", async () => {
    const user = await signUp();
    const stale = await cookieMintedAt(user, Math.floor(Date.now() / 1000) - Math.ceil(USER_SESSION_TTL_SECONDS * 0.75));
    const res = await api("POST", "/api/auth/logout-all", { cookie: stale, body: {} });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(new RegExp(`^${SESSION_COOKIE_NAME}=;.*Max-Age=0`, "i"))]);
  });

  it("answers not_signed_in without a valid session, and changes nothing", async () => {
    const res = await api("POST", "/api/auth/logout-all", { body: {} });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("not_signed_in");
  });
});
