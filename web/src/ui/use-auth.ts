// Why: who is signed in, asked once at start (GET /api/me) and changed by sign in, sign up
// and sign out. The session itself is an HttpOnly cookie this code never sees.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Me } from "../../../protocol/accounts.ts";
import { describeError } from "../lib/error-messages.ts";
import { getMe, signOut, signOutEverywhere } from "../session/account-api.ts";
import { forgetThisBrowser } from "../lib/push-subscription.ts";

export type AuthState = { status: "loading" } | { status: "signed-out" } | { status: "signed-in"; me: Me };

export interface Auth {
  state: AuthState;
  signedIn(me: Me): void;
  /** Ends the session at the edge and forgets the user here even if the call fails. */
  signOut(): Promise<void>;
  /**
   * Ends every session of the account, on every device. Unlike signOut, a failure is reported
   * (the other devices would still be signed in) and this one stays signed in.
   */
  signOutEverywhere(): Promise<{ ok: true } | { ok: false; message: string }>;
  /** A call answered not_signed_in: the cookie expired. */
  expired(): void;
}

export function useAuth(): Auth {
  const [state, setState] = useState<AuthState>({ status: "loading" });
  useEffect(() => {
    const abort = new AbortController();
    getMe(abort.signal)
      .then((r) => setState(r.ok ? { status: "signed-in", me: r.value } : { status: "signed-out" }))
      .catch(() => undefined); // aborted
    return () => abort.abort();
  }, []);
  const signedIn = useCallback((me: Me) => setState({ status: "signed-in", me }), []);
  const out = useCallback(async () => {
    await forgetThisBrowser();
    await signOut().catch(() => undefined);
    setState({ status: "signed-out" });
  }, []);
  const everywhere = useCallback(async () => {
    const r = await signOutEverywhere().catch(() => null);
    if (!r?.ok) return { ok: false as const, message: describeError(r && !r.ok ? r.error.code : "network_error").message };
    setState({ status: "signed-out" });
    return { ok: true as const };
  }, []);
  const expired = useCallback(() => setState({ status: "signed-out" }), []);
  return { state, signedIn, signOut: out, signOutEverywhere: everywhere, expired };
}
