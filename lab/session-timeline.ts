// Why: one session's set-up on one timeline, from both sides' timestamps — the viewer's page
// (phase-probe.ts marks and the PWA's debug-handle timings) and the camera's agent log
// (device-agent/src/log.ts events). All lab namespaces share the host's clock (namespaces do
// not virtualise CLOCK_REALTIME), so the agent's wall-clock `t` and the browser's
// performance.timeOrigin + performance.now() are the same clock and can be subtracted.
// Pure: the lab benchmark (bench/lab.ts) feeds it what it read.
import type { ViewerMarks } from "./phase-probe.ts";

/** The PWA's session timings (web/src/lib/session-state.ts Timings): performance.now() values. */
export interface PageTimings {
  clickAt?: number | null;
  /** The grant came back, the signaling socket opened (PWAs since issue 12 item 5 have them). */
  ticketAt?: number | null;
  socketOpenAt?: number | null;
  welcomeAt?: number | null;
  iceConnectedAt?: number | null;
  dtlsConnectedAt?: number | null;
  firstFrameAt?: number | null;
}

/** One agent log line, parsed (only what the timeline reads). */
export interface AgentLine {
  t: string;
  event: string;
  sessionId?: string;
  mark?: string;
  trace?: string;
}

/** The phases, in order; they add up to tap → first frame when every boundary is known. */
export const PHASES = ["signaling", "candidates", "iceChecks", "nomination", "dtls", "firstFrame"] as const;
export type PhaseName = (typeof PHASES)[number];

export interface SessionTimeline {
  /** Epoch ms of each boundary that could be read (absent: that side did not say). */
  at: {
    tap?: number;
    ticket?: number;
    socketOpen?: number;
    welcome?: number;
    startReceived?: number;
    offerSent?: number;
    offerReceived?: number;
    answerReceived?: number;
    firstChecks?: number;
    firstValidPair?: number;
    nominated?: number;
    dtlsConnected?: number;
    firstRtpSent?: number;
    firstFrame?: number;
  };
  /** Milliseconds per phase; null when one of its boundaries is unknown. */
  phases: Record<PhaseName, number | null>;
  /**
   * Signaling's own split: tap → session-start at the camera (grant, socket, hub) → offer sent
   * (grant check, peer connection, offer) → offer at the page; and the page's side of the first
   * leg: tap → grant back → socket open → session-start at the camera. The page's welcome is
   * beside the chain, not in it: the hub may tell the camera before the viewer.
   */
  signaling: {
    toCamera: number | null;
    cameraToOffer: number | null;
    offerTransit: number | null;
    toTicket: number | null;
    ticketToSocket: number | null;
    socketToCamera: number | null;
    toWelcome: number | null;
  };
  ttffMs: number | null;
}

const epoch = (iso: string): number => Date.parse(iso);

/** Offsets (ms) of the trace's entries, and whether an entry says `word`. */
function traceEntries(trace: string): Array<{ ms: number; text: string }> {
  // A restart's trace starts "restart N, nominated M ms after it: +…"; the first connect's does not.
  return [...trace.matchAll(/\+(\d+) ([^;]*)/g)].map((m) => ({ ms: Number(m[1]), text: m[2] ?? "" }));
}

/**
 * The camera's ICE milestones from the first session_ice_nomination of a session
 * (regular-nomination.ts): its trace counts from the first check, and the line is logged when
 * the nominating check's response arrived ("+N nominated …", the trace's last entry).
 */
export function iceMilestones(line: AgentLine): { firstChecks?: number; firstValidPair?: number; nominated: number } {
  const nominated = epoch(line.t);
  const entries = traceEntries(line.trace ?? "");
  const last = entries.at(-1);
  // A trace cut at its cap has no "nominated" entry: its zero cannot be placed.
  if (!last || !/^nominated /.test(last.text)) return { nominated };
  const firstChecks = nominated - last.ms;
  const valid = entries.find((e) => / succeeded/.test(e.text));
  return { firstChecks, ...(valid ? { firstValidPair: firstChecks + valid.ms } : {}), nominated };
}

const diff = (a: number | undefined, b: number | undefined): number | null => (a === undefined || b === undefined ? null : Math.round(b - a));
const maxOf = (...xs: Array<number | undefined>): number | undefined => {
  const known = xs.filter((x): x is number => x !== undefined);
  return known.length ? Math.max(...known) : undefined;
};

/** Builds the timeline of `sessionId` from the page's marks and timings and the agent's lines. */
export function sessionTimeline(sessionId: string, marks: ViewerMarks, timings: PageTimings, agentLines: readonly AgentLine[]): SessionTimeline {
  const page = (t: number | null | undefined) => (t === null || t === undefined ? undefined : marks.timeOrigin + t);
  const mine = agentLines.filter((l) => l.sessionId === sessionId);
  const first = (event: string, mark?: string) => {
    const l = mine.find((x) => x.event === event && (mark === undefined || x.mark === mark));
    return l ? epoch(l.t) : undefined;
  };
  const nominationLine = mine.find((l) => l.event === "session_ice_nomination" && !(l.trace ?? "").startsWith("restart"));
  const ice = nominationLine ? iceMilestones(nominationLine) : undefined;
  // DTLS is up when both ends say so: the later of the camera's and the page's. The camera's
  // own DTLS mark where the agent logs it (werift's "connected" also waits for SCTP, and media
  // no longer does), else its connected.
  const cameraDtls = first("session_mark", "dtls_connected") ?? first("session_connected");
  const dtlsConnected = maxOf(cameraDtls, marks.connected ?? page(timings.dtlsConnectedAt));
  const at: SessionTimeline["at"] = {
    tap: page(timings.clickAt),
    ticket: page(timings.ticketAt),
    socketOpen: page(timings.socketOpenAt),
    welcome: page(timings.welcomeAt),
    startReceived: first("session_mark", "start_received"),
    offerSent: first("session_offer_sent"),
    offerReceived: marks.offerReceived,
    answerReceived: first("session_mark", "answer_received"),
    firstChecks: ice?.firstChecks,
    firstValidPair: ice?.firstValidPair,
    nominated: ice?.nominated,
    dtlsConnected,
    firstRtpSent: first("session_mark", "first_rtp_sent") ?? first("session_media"),
    firstFrame: page(timings.firstFrameAt),
  };
  const defined = Object.fromEntries(Object.entries(at).filter(([, v]) => v !== undefined)) as SessionTimeline["at"];
  return {
    at: defined,
    phases: {
      signaling: diff(at.tap, at.offerReceived),
      candidates: diff(at.offerReceived, at.firstChecks),
      iceChecks: diff(at.firstChecks, at.firstValidPair),
      nomination: diff(at.firstValidPair, at.nominated),
      dtls: diff(at.nominated, at.dtlsConnected),
      firstFrame: diff(at.dtlsConnected, at.firstFrame),
    },
    signaling: {
      toCamera: diff(at.tap, at.startReceived),
      cameraToOffer: diff(at.startReceived, at.offerSent),
      offerTransit: diff(at.offerSent, at.offerReceived),
      toTicket: diff(at.tap, at.ticket),
      // A signed-in viewer's one-round-trip path has no separate grant: socket after tap.
      ticketToSocket: diff(at.ticket ?? at.tap, at.socketOpen),
      socketToCamera: diff(at.socketOpen, at.startReceived),
      toWelcome: diff(at.tap, at.welcome),
    },
    ttffMs: diff(at.tap, at.firstFrame),
  };
}

/** The agent log's JSON lines (the lab prefixes none; other lines are skipped). */
export function parseAgentLog(text: string): AgentLine[] {
  const out: AgentLine[] = [];
  for (const raw of text.split("\n")) {
    const i = raw.indexOf("{");
    if (i < 0 || !raw.includes('"sessionId"')) continue;
    try {
      const l = JSON.parse(raw.slice(i)) as AgentLine;
      if (typeof l.t === "string" && typeof l.event === "string") out.push(l);
    } catch {
      /* not a log line */
    }
  }
  return out;
}
