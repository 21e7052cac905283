// Why: the one short line a multi-view tile shows over its picture — "Live", "Connecting…", or
// in plain words why it isn't playing ("3 of 3 viewers — full") — derived from the tile's own
// session state and the camera list, so it is tested without a browser.
import type { Camera } from "../../../protocol/accounts.ts";
import { describeError } from "./error-messages.ts";
import type { SessionState } from "./session-state.ts";

export interface TileStatus {
  /** live: playing; busy: at its viewer limit; offline: not connected to Porthole. */
  tone: "live" | "connecting" | "offline" | "busy" | "error";
  text: string;
  /** A Retry button makes sense (a busy camera may free a slot, an error may pass). */
  retry: boolean;
}

/** Codes that mean the camera itself is away, not that something went wrong with us. */
const OFFLINE_CODES = new Set(["device_offline", "camera_ended"]);

export function tileStatus(s: Pick<SessionState, "phase" | "error">, camera: Pick<Camera, "online">): TileStatus {
  switch (s.phase) {
    case "live":
      return { tone: "live", text: "Live", retry: false };
    case "reconnecting":
      return { tone: "connecting", text: "Reconnecting…", retry: false };
    case "connecting":
      return { tone: "connecting", text: "Connecting…", retry: false };
    case "failed": {
      const e = s.error;
      if (e?.code === "device_busy") {
        const text = e.watching !== undefined && e.limit !== undefined ? `${e.watching} of ${e.limit} viewers — full` : "All viewer slots taken — full";
        return { tone: "busy", text, retry: true };
      }
      if (e && OFFLINE_CODES.has(e.code)) return { tone: "offline", text: "Offline", retry: true };
      return { tone: "error", text: e ? describeError(e.code, e).title : "Couldn't connect", retry: true };
    }
    case "ended":
      return { tone: "error", text: "Stopped", retry: true };
    case "idle":
      // Not started: an offline camera is not tried until the camera list says it is back.
      return camera.online ? { tone: "connecting", text: "Connecting…", retry: false } : { tone: "offline", text: "Offline", retry: false };
  }
}

/**
 * Whether a tile starts (or starts again) on its own, from the camera list's latest word (it
 * refreshes every 15 s): an online camera not yet tried; one that was offline and is back; one
 * that was full and now has a free slot. Other failures wait for the person's Try again.
 */
export function shouldAutoConnect(s: Pick<SessionState, "phase" | "error">, camera: Pick<Camera, "online" | "viewers" | "maxViewers">): boolean {
  if (!camera.online) return false;
  if (s.phase === "idle") return true;
  if (s.phase !== "failed" || !s.error) return false;
  if (OFFLINE_CODES.has(s.error.code)) return true;
  return s.error.code === "device_busy" && camera.viewers < camera.maxViewers;
}
