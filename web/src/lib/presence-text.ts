// Why: before connecting, say in plain words whether the camera is reachable, and when it
// isn't, what a person can check — instead of letting them find out from a failed session.
import type { DevicePresence } from "../../../protocol/http.ts";

export type PresenceTone = "online" | "offline" | "never";

export interface PresenceText {
  tone: PresenceTone;
  headline: string;
  /** Relative "last seen" text, for error messages too. */
  lastSeen: string | null;
  help: string | null;
}

export interface FormatOptions {
  locale?: string;
  timeZone?: string;
}

/** "just now", "12 min ago", "3 h ago", "2 days ago", then an absolute date. */
export function formatRelative(thenMs: number, nowMs: number, opts: FormatOptions = {}): string {
  const s = Math.max(0, (nowMs - thenMs) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  const days = Math.round(s / 86_400);
  if (days < 14) return days === 1 ? "yesterday" : `${days} days ago`;
  return `on ${formatAbsolute(thenMs, opts)}`;
}

/** "24 Nov, 04:12" in the viewer's locale (tests pin locale and time zone). */
export function formatAbsolute(ms: number, opts: FormatOptions = {}): string {
  return new Intl.DateTimeFormat(opts.locale ?? "en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  }).format(new Date(ms));
}

export function describePresence(p: DevicePresence, nowMs: number, opts: FormatOptions = {}): PresenceText {
  if (p.online) {
    const watching = p.viewers === 0 ? "" : ` · ${p.viewers} ${p.viewers === 1 ? "viewer" : "viewers"} watching`;
    return { tone: "online", headline: `Online${watching}`, lastSeen: "just now", help: null };
  }
  const seenMs = p.lastSeenAt ? Date.parse(p.lastSeenAt) : NaN;
  if (Number.isNaN(seenMs)) {
    return {
      tone: "never",
      headline: "Offline · never connected",
      lastSeen: null,
      help: "This camera has never connected to Porthole. Finish setting it up with its maker's app, then check its power and Wi-Fi.",
    };
  }
  const lastSeen = formatRelative(seenMs, nowMs, opts);
  return {
    tone: "offline",
    headline: `Offline · last seen ${lastSeen}`,
    lastSeen,
    help:
      `The camera has not been connected since ${formatAbsolute(seenMs, opts)}; check that it's plugged in and ` +
      "its Wi-Fi is working. If the Wi-Fi password changed, set it up again with its maker's app.",
  };
}
