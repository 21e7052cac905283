// Why: one Web Push request (RFC 8030 §5): POST the RFC 8291 body to the subscription's endpoint
// with `Content-Encoding: aes128gcm` (RFC 8188), the VAPID `Authorization` (RFC 8292 §3), a `TTL`
// (how long the push service may hold it for an offline browser) and `Urgency` (§5.3: "high" —
// someone may be at the door). The answer says delivered, gone (404/410: prune it) or failed.
import { encryptPushPayload, type SubscriptionKeys } from "./web-push-encryption.ts";
import { vapidAuthorization, type VapidKeys } from "./vapid.ts";

/** An event older than 10 minutes is no longer worth waking a phone for. */
export const PUSH_TTL_SECONDS = 600;
const SEND_TIMEOUT_MS = 10_000;

export type PushOutcome = { result: "sent"; status: number } | { result: "gone"; status: number } | { result: "failed"; status: number | null; detail: string };

export interface PushTarget extends SubscriptionKeys {
  endpoint: string;
}

export async function sendPush(vapid: VapidKeys, target: PushTarget, payload: Uint8Array, fetcher: typeof fetch = fetch): Promise<PushOutcome> {
  const body = await encryptPushPayload(payload, target);
  let res: Response;
  try {
    res = await fetcher(target.endpoint, {
      method: "POST",
      headers: {
        authorization: await vapidAuthorization(vapid, target.endpoint),
        "content-encoding": "aes128gcm",
        "content-type": "application/octet-stream",
        ttl: String(PUSH_TTL_SECONDS),
        urgency: "high",
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    return { result: "failed", status: null, detail: String(err).slice(0, 200) };
  }
  // The body is never needed; drain it so the connection is released.
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 404 || res.status === 410) return { result: "gone", status: res.status };
  if (res.status >= 200 && res.status < 300) return { result: "sent", status: res.status };
  return { result: "failed", status: res.status, detail: res.statusText.slice(0, 100) };
}
