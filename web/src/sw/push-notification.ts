// Why: what the service worker shows for a push (RFC 8030 message, decrypted by the browser per
// RFC 8291): the camera's name and the event's time — the payload has nothing more, by design —
// and the app URL a tap opens. Pure, so it is tested without a service worker. No Zod here: the
// worker is one classic script, and a schema would pull a shared chunk into it (the checks below
// accept exactly what protocol/push.ts PushPayloadSchema does; the test holds them together).
import { eventPath } from "../../../protocol/event-path.ts";
import type { PushPayload } from "../../../protocol/push.ts";

export interface NotificationSpec {
  title: string;
  options: { body: string; tag: string; timestamp: number; data: { url: string }; icon: string; badge: string };
}

const PAYLOAD_KEYS = ["cameraName", "eventId", "more", "serial", "startedAt", "v"];

/** The payload, when `json` is exactly one (same rules as PushPayloadSchema). */
export function readPayload(json: unknown): PushPayload | null {
  if (!json || typeof json !== "object" || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  if (Object.keys(o).sort().join() !== PAYLOAD_KEYS.join()) return null;
  const { v, serial, cameraName, eventId, startedAt, more } = o;
  if (v !== 1 || typeof serial !== "string" || serial.length < 1 || serial.length > 64) return null;
  if (typeof cameraName !== "string" || cameraName.length > 128) return null;
  if (typeof eventId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(eventId)) return null;
  if (typeof startedAt !== "string" || startedAt.length > 40) return null;
  if (typeof more !== "number" || !Number.isInteger(more) || more < 0) return null;
  return { v, serial, cameraName, eventId, startedAt, more };
}

/** "19:04" in the reader's locale (the notification is read right away; the date is the OS's). */
function timeText(ms: number, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", ...(timeZone ? { timeZone } : {}) }).format(new Date(ms));
}

/** The notification for a push's JSON text; a push we cannot read still says something happened. */
export function notificationFor(text: string | null, opts: { locale?: string; timeZone?: string; now?: number } = {}): NotificationSpec {
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const p = readPayload(json);
  const icon = "/icons/icon-192.png";
  if (!p) {
    return { title: "Porthole", options: { body: "One of your cameras saw something.", tag: "porthole", timestamp: opts.now ?? Date.now(), data: { url: "/" }, icon, badge: icon } };
  }
  const at = Date.parse(p.startedAt);
  const when = Number.isFinite(at) ? at : (opts.now ?? Date.now());
  const more = p.more > 0 ? ` (and ${p.more} more since the last notification)` : "";
  return {
    title: p.cameraName || p.serial,
    options: {
      body: `Motion at ${timeText(when, opts.locale, opts.timeZone)}${more}`,
      // One notification per camera on screen: a newer one replaces it.
      tag: `camera:${p.serial}`,
      timestamp: when,
      data: { url: eventPath(p.serial, p.eventId) },
      icon,
      badge: icon,
    },
  };
}

/** The URL a tap opens, if it is one of ours (same origin, a path); else the app's home. */
export function clickTarget(data: unknown, origin: string): string {
  const url = (data as { url?: unknown } | null)?.url;
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//")) return `${origin}/`;
  return new URL(url, origin).href;
}
