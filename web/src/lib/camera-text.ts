// Why: the words "My cameras", the settings panel and the session history show for a camera,
// a role or a past session, kept pure so they are tested with a pinned clock and locale.
import type { Camera, SessionRecord } from "../../../protocol/accounts.ts";
import type { SessionRole } from "../../../protocol/roles.ts";
import { formatAbsolute, formatRelative, type FormatOptions } from "./presence-text.ts";

export const ROLE_LABELS: Record<SessionRole, string> = {
  owner: "Owner",
  viewer: "Viewer",
  guest: "Guest",
  code: "Access code",
};

/** What each share role allows, next to the role picker. */
export const ROLE_HELP: Record<"viewer" | "guest", string> = {
  viewer: "Can watch, talk and move the camera",
  guest: "Can only watch",
};

/** "2/3 watching" — the camera's viewer slots. */
export function viewersText(viewers: number, maxViewers: number): string {
  return `${viewers}/${maxViewers} watching`;
}

export interface CameraStatus {
  tone: "online" | "offline" | "never";
  text: string;
}

export function cameraStatus(c: Pick<Camera, "online" | "lastSeenAt">, nowMs: number, opts: FormatOptions = {}): CameraStatus {
  if (c.online) return { tone: "online", text: "Online" };
  const seen = c.lastSeenAt ? Date.parse(c.lastSeenAt) : NaN;
  if (Number.isNaN(seen)) return { tone: "never", text: "Never connected" };
  return { tone: "offline", text: `Offline · last seen ${formatRelative(seen, nowMs, opts)}` };
}

/** "45 s", "12 min", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

const PATH_SHORT: Record<NonNullable<SessionRecord["path"]>, string> = { lan: "LAN", p2p: "P2P", relay: "Relay" };

export interface SessionRow {
  who: string;
  when: string;
  duration: string;
  path: string;
}

/** One line of the owner's "Recent sessions". */
export function describeSessionRecord(r: SessionRecord, nowMs: number, opts: FormatOptions = {}): SessionRow {
  const started = Date.parse(r.startedAt);
  const who = r.email ?? (r.role === "code" ? "Someone with the access code" : "Unknown");
  const when = Number.isNaN(started) ? "—" : nowMs - started < 86_400_000 ? formatRelative(started, nowMs, opts) : formatAbsolute(started, opts);
  const duration = r.durationMs !== null ? formatDuration(r.durationMs) : r.endedAt === null ? "watching now" : "—";
  return { who, when, duration, path: r.path ? PATH_SHORT[r.path] : "—" };
}
