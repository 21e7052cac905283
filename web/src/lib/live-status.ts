// Why: people want one plain line about the picture — is it live, and is it coming straight from
// home or through a relay — not a network diagnostic. The details (stages, candidate types, RTT)
// stay behind the "i" panel; this picks the line from the session state.
import type { PathKind } from "./path-classification.ts";
import type { SessionState } from "./session-state.ts";

/** live: playing; busy: on its way (connecting, reconnecting); warn: playing but shaky; off: not playing; bad: failed. */
export type LiveTone = "live" | "busy" | "warn" | "off" | "bad";

export interface LiveStatus {
  text: string;
  tone: LiveTone;
}

/** How the picture travels, in words for people (path-classification.ts PathKind). */
export const PATH_WORDS: Record<PathKind, string> = {
  lan: "on your network",
  p2p: "direct",
  relay: "via relay",
};

type StatusInput = Pick<SessionState, "phase" | "path" | "iceInterrupted" | "signaling" | "timings" | "error">;

export function liveStatus(s: StatusInput): LiveStatus {
  switch (s.phase) {
    case "idle":
      return { text: "Not playing", tone: "off" };
    case "connecting":
      return { text: "Connecting…", tone: "busy" };
    case "reconnecting":
      return { text: "Reconnecting…", tone: "busy" };
    case "ended":
      return { text: "Stopped", tone: "off" };
    case "failed":
      // Video that played and then stopped is a lost connection, not a failure to connect.
      return { text: s.timings.firstFrameAt !== null ? "Connection lost" : s.error?.code === "webrtc_unsupported" ? "Can't play here" : "Couldn't connect", tone: "bad" };
    case "live":
      // Media checks failing: the picture may be frozen, say so before ICE gives up.
      if (s.iceInterrupted) return { text: "Reconnecting…", tone: "warn" };
      return { text: s.path ? `Live · ${PATH_WORDS[s.path.kind]}` : "Live", tone: "live" };
  }
}
