// Why: the browser half of Web Push (Push API; RFC 8030 subscriptions, RFC 8292 VAPID): ask for
// permission, subscribe this browser's service worker with the edge's public key as
// applicationServerKey, and hand the edge the endpoint and keys with this browser's time zone and
// quiet hours (kept in localStorage too: they belong to this browser, not the account).
import type { QuietHours } from "../../../protocol/push.ts";
import type { UiError } from "./session-state.ts";
import { deleteSubscription, getVapidKey, saveSubscription } from "../session/push-api.ts";

const QUIET_KEY = "porthole.quietHours";

/** base64url → bytes, for applicationServerKey. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replaceAll("-", "+").replaceAll("_", "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function storedQuietHours(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): QuietHours | null {
  try {
    const v = JSON.parse(storage?.getItem(QUIET_KEY) ?? "null") as QuietHours | null;
    return v && typeof v.start === "string" && typeof v.end === "string" ? v : null;
  } catch {
    return null;
  }
}

export function storeQuietHours(q: QuietHours | null, storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(QUIET_KEY, JSON.stringify(q));
  } catch {
    // Private mode: the edge still has them for this subscription.
  }
}

export type SubscribeOutcome = { ok: true } | { ok: false; error: UiError | string };

/** Subscribes (or reuses) this browser's push subscription and stores it on the edge. */
export async function subscribeThisBrowser(quietHours: QuietHours | null): Promise<SubscribeOutcome> {
  if (!("serviceWorker" in navigator) || typeof PushManager === "undefined") return { ok: false, error: "This browser can't receive notifications." };
  const key = await getVapidKey();
  if (!key.ok) return { ok: false, error: key.error };
  const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  if (permission !== "granted") return { ok: false, error: "Notifications are blocked for this site. Allow them in the browser's site settings." };
  let sub: PushSubscription;
  try {
    const reg = await navigator.serviceWorker.ready;
    sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.value.publicKey) }));
  } catch (err) {
    return { ok: false, error: `The browser couldn't subscribe to notifications (${String(err).slice(0, 120)}).` };
  }
  const json = sub.toJSON();
  const saved = await saveSubscription({
    endpoint: sub.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    quietHours,
  });
  if (!saved.ok) return { ok: false, error: saved.error };
  storeQuietHours(quietHours);
  return { ok: true };
}

/**
 * Signing out: this browser stops getting the account's notifications (the edge forgets the
 * subscription while the cookie still works, and the browser drops it). Never throws.
 */
export async function forgetThisBrowser(): Promise<void> {
  try {
    if (!("serviceWorker" in navigator)) return;
    const sub = await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription();
    if (!sub) return;
    await deleteSubscription(sub.endpoint);
    await sub.unsubscribe();
  } catch {
    // Nothing subscribed, or the browser refused: the sign-out itself goes on.
  }
}
