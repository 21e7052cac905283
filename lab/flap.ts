// Why: the flap test — one live session, the viewer home's WAN link cut for a moment (and its
// UDP NAT mappings forgotten, as a rebooting router or a NAT rebinding would) again and again.
// Video must resume within a few seconds of each restore through an ICE restart on the same
// session (issue 4, item 6), never through a new session.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Lab } from "./lab.ts";
import { startLab } from "./lab.ts";
import { describeConditions, type LinkConditions } from "./link-conditions.ts";
import type { NatType } from "./nat-types.ts";
import { watchLive, type LiveState } from "./live-view.ts";

export interface FlapOptions {
  cycles?: number;
  /** How long the WAN link stays down. */
  downMs?: number;
  /** Video must advance within this long of the link coming back. */
  resumeWithinMs?: number;
  camera?: NatType;
  viewer?: NatType;
  /**
   * "cut" (default): the viewer's WAN down for downMs and its UDP mappings flushed. "rebind":
   * no cut; the viewer's router turns symmetric at once (every flow gets a new external port, as
   * a NAT rebinding does), so the old path is dead and only an ICE restart finds a new one; it is
   * switched back (another rebinding) once video is back. "readdress": no cut; the viewer's home
   * gets a new public address (a phone moving from Wi-Fi to mobile data): every mapping through
   * the old one, the signaling socket's included, is gone.
   */
  mode?: "cut" | "rebind" | "readdress";
  log?: (line: string) => void;
}

export interface FlapCycle {
  cycle: number;
  /** ms from the link coming back to new frames presented; null if not within the wait. */
  resumeMs: number | null;
  sessionId: string | null;
  stage: string | undefined;
  iceRestarts: number;
  path: string | null;
  /** The browser's ICE states seen from the cut until video was back (diagnostics). */
  iceStates: string[];
  /** The path once video was back and the PWA had classified it (readdress mode waits for it). */
  settledPath?: string | null;
}

export interface FlapResult {
  cycles: FlapCycle[];
  passed: number;
  sessionId: string | null;
  resumeWithinMs: number;
}

/** A cycle passes when video came back in time on the session the run started with. */
export function cyclePassed(c: FlapCycle, run: Pick<FlapResult, "sessionId" | "resumeWithinMs">): boolean {
  return c.resumeMs !== null && c.resumeMs <= run.resumeWithinMs && c.sessionId === run.sessionId;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** New frames beyond the count at restore that count as "video resumed". */
const RESUMED_FRAMES = 3;
/**
 * Playing time between cuts. The signaling WebSocket is TCP through the same link: after a cut
 * its retransmission timer has backed off (RFC 6298 §5.5) and the next retransmission can come
 * seconds after the link is back. Cutting again before it has caught up starves the viewer's
 * keepalive pings and the hub ends the session with heartbeat_timeout (15 s of silence).
 */
const BETWEEN_CUTS_MS = 3000;
/** How long we keep waiting after a missed deadline, so one slow cycle does not spoil the next. */
const SETTLE_MS = 15_000;

async function flapLab(lab: Lab, o: FlapOptions): Promise<FlapResult> {
  const log = o.log ?? (() => {});
  const cycles = o.cycles ?? 20;
  const downMs = o.downMs ?? 2000;
  const resumeWithinMs = o.resumeWithinMs ?? 3000;
  const { topology } = lab;
  topology.setNat("rA", o.camera ?? "port-restricted");
  topology.setNat("rB", o.viewer ?? "full-cone");
  if (!lab.agent.online) await lab.agent.waitOnline(15_000);
  const live = await watchLive(topology.ns.hB, lab.dir, lab.camera.serial, lab.camera.accessCode);
  const results: FlapCycle[] = [];
  try {
    const first = await live.state();
    const sessionId = first.sessionId ?? null;
    log(`[flap] live on session ${sessionId} over ${first.pathKind ?? "?"}; ${cycles} cycles of ${downMs} ms down`);
    for (let i = 1; i <= cycles; i++) {
      // Playing before the cut.
      const before = await live.progress();
      await sleep(500);
      if ((await live.progress()).frames <= before.frames) {
        const s = await live.state();
        log(`[flap] #${i}: video was not advancing before the cut (stage ${s.stage}, ICE ${s.iceState}${s.error ? `, ${s.error.code}` : ""})`);
        log(`[flap] #${i}: viewer video: ${await live.videoDiagnostics().catch((e: unknown) => `unreadable (${String(e)})`)}`);
      }
      const rebind = o.mode === "rebind" || o.mode === "readdress";
      if (o.mode === "readdress") topology.setWanAddress("rB", viewerAddress(i));
      else if (rebind) topology.setNat("rB", "symmetric");
      else {
        topology.setWanUp("rB", false);
        topology.flushUdpMappings("rB");
      }
      const iceStates: string[] = [];
      const seeIce = async (): Promise<void> => {
        const ice = (await live.state()).iceState ?? "?";
        if (iceStates.at(-1) !== ice) iceStates.push(ice);
      };
      const cutAt = performance.now();
      log(`[flap] #${i}: ${o.mode === "readdress" ? `viewer now ${topology.wanAddress("rB")}` : rebind ? "rebound" : "cut"} at ${new Date().toISOString()}`);
      while (!rebind && performance.now() - cutAt < downMs) {
        await seeIce();
        await sleep(Math.min(250, Math.max(0, downMs - (performance.now() - cutAt))));
      }
      if (!rebind) topology.setWanUp("rB", true);
      const restoredAt = performance.now();
      let atRestore = (await live.progress()).frames;
      if (o.mode === "readdress") {
        // Nothing is cut, so the decoder plays out what it had buffered: count only frames
        // presented after video stopped (when it does within STALL_WAIT_MS).
        atRestore = await stalledFrameCount(live, atRestore);
      }
      let resumeMs: number | null = null;
      while (performance.now() - restoredAt < resumeWithinMs + SETTLE_MS) {
        if ((await live.progress()).frames >= atRestore + RESUMED_FRAMES) {
          resumeMs = Math.round(performance.now() - restoredAt);
          break;
        }
        await seeIce();
        await sleep(50);
      }
      // The PWA classifies the path from its 1 s stats poll: give it two polls to see the new pair.
      let settledPath: string | null | undefined;
      if (o.mode === "readdress" && resumeMs !== null) {
        await sleep(2200);
        settledPath = (await live.state()).pathKind ?? null;
      }
      const s = await live.state();
      const cycle: FlapCycle = {
        cycle: i,
        resumeMs,
        sessionId: s.sessionId ?? null,
        stage: s.stage,
        iceRestarts: s.iceRestarts ?? 0,
        path: s.pathKind ?? null,
        iceStates,
        ...(settledPath !== undefined ? { settledPath } : {}),
      };
      results.push(cycle);
      const ok = cyclePassed(cycle, { sessionId, resumeWithinMs });
      log(`[flap] #${i}: ${resumeMs === null ? "no video" : `video back in ${resumeMs} ms`} — session ${cycle.sessionId === sessionId ? "same" : cycle.sessionId}, stage ${cycle.stage}, ICE restarts ${cycle.iceRestarts} (ICE ${iceStates.join("→")})${settledPath !== undefined ? `, then ${settledPath}` : ""}, ${ok ? "ok" : "MISSED"}${s.error ? ` (${s.error.code}: ${s.error.message})` : ""}`);
      if (!ok) {
        // Where each side stood, for a miss that did not end the session (the scratch dir is gone after the run).
        const w = s as LiveState & { signaling?: string };
        log(`[flap] #${i}: viewer stage ${w.stage}, signaling ${w.signaling ?? "?"}, ICE ${w.iceState ?? "?"}, path ${w.pathKind ?? "?"}${w.error ? `, error ${w.error.code}` : ""}`);
        log(`[flap] #${i}: viewer video: ${await live.videoDiagnostics().catch((e: unknown) => `unreadable (${String(e)})`)}`);
        if (s.stage !== "failed") for (const line of sessionLog(lab.dir, sessionId)) log(`[flap] agent: ${line}`);
      }
      if (s.stage === "failed") {
        // Why the session ended, from the camera's side (the scratch dir is gone after the run).
        for (const line of sessionLog(lab.dir, sessionId)) log(`[flap] agent: ${line}`);
        break;
      }
      if (o.mode === "rebind") topology.setNat("rB", o.viewer ?? "full-cone");
      // Let the restored session settle to live before the next cut.
      const settleStart = performance.now();
      while (performance.now() - settleStart < SETTLE_MS && (await live.state()).stage !== "live") await sleep(100);
      await sleep(BETWEEN_CUTS_MS);
    }
    const passed = results.filter((c) => cyclePassed(c, { sessionId, resumeWithinMs })).length;
    return { cycles: results, passed, sessionId, resumeWithinMs };
  } finally {
    await live.close();
  }
}

/** How long after an address change the frame count is watched for the stop the change causes. */
const STALL_WAIT_MS = 1500;

/** The frame count once presentation has stood still for 200 ms (or after STALL_WAIT_MS). */
async function stalledFrameCount(live: { progress(): Promise<{ frames: number }> }, start: number): Promise<number> {
  const t0 = performance.now();
  let last = start;
  let still = performance.now();
  while (performance.now() - t0 < STALL_WAIT_MS) {
    await sleep(50);
    const f = (await live.progress()).frames;
    if (f !== last) {
      last = f;
      still = performance.now();
    } else if (performance.now() - still >= 200) break;
  }
  return last;
}

/** The viewer home's public address in cycle `i`: a new one each time, inside TEST-NET-2. */
export function viewerAddress(i: number): string {
  return `198.51.100.${100 + (i % 100)}`;
}

/** The agent's last session events (not per-packet ones) for `sessionId`, for a failure report. */
function sessionLog(dir: string, sessionId: string | null): string[] {
  const file = path.join(dir, "agent.log");
  if (!sessionId || !existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.includes(sessionId) && !l.includes("session_media"))
    .slice(-15);
}

/** Builds the PWA and the lab, runs the flap cycles, always tears the lab down. */
export async function runLabFlap(o: FlapOptions & { keep?: boolean; conditions?: LinkConditions } = {}): Promise<FlapResult> {
  const log = o.log ?? console.log;
  const lab = await startLab({ log, keepScratch: o.keep ?? false });
  const onSignal = () => void lab.stop().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (o.conditions) {
      await lab.topology.setLinkConditions(o.conditions);
      log(`[lab] link conditions: ${describeConditions(o.conditions)}`);
    }
    return await flapLab(lab, { ...o, log });
  } finally {
    await lab.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
