// Why: the grid is the lab's verdict — the same-LAN case plus every camera NAT × viewer NAT
// pair, each viewed once by real Chromium, recorded with the path it took and its TTFF.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expectedPath } from "./expected-path.ts";
import { recordPassed, recordVerdict, type GridRecord } from "./grid-record.ts";
import type { ConnectionTestReading } from "./connection-test.ts";
import type { Lab } from "./lab.ts";
import type { EgressPolicy } from "./nft-ruleset.ts";
import { NAT_SHORT, NAT_TYPES, type NatType, type ViewerPlacement } from "./nat-types.ts";
import { labChromiumArgs } from "./lab-tls.ts";
import { launchLabViewer, type LabViewer, type ViewResult } from "./viewer.ts";
import type { AgentNatReport } from "./camera.ts";

export interface GridPair {
  camera: NatType;
  viewer: ViewerPlacement;
  /** What the camera's home network lets out (default open). */
  cameraEgress?: EgressPolicy;
  /** What the viewer's home network lets out (default open). */
  viewerEgress?: EgressPolicy;
  /** Restart the agent first, so the camera meets this network with nothing learned. */
  freshAgent?: boolean;
}

/** "prc", or "prc/no-udp" for a home behind a strict firewall. */
export function placementName(nat: ViewerPlacement, egress: EgressPolicy = "open"): string {
  return egress === "open" ? NAT_SHORT[nat] : `${NAT_SHORT[nat]}/${egress}`;
}

/** Same-LAN first (behind a port-restricted home router), then 4×4, camera NAT outermost. */
export function gridPairs(): GridPair[] {
  return [{ camera: "port-restricted", viewer: "same-lan" }, ...NAT_TYPES.flatMap((camera) => NAT_TYPES.map((viewer) => ({ camera, viewer })))];
}

/** The grid's pairs named by `only` ("sym:prc,fc:fc,lan"; all when absent), in grid order. */
export function selectGridPairs(only: string | undefined): GridPair[] {
  const all = gridPairs();
  if (!only) return all;
  const wanted = only.split(",").map((s) => s.trim());
  const picked = all.filter((p) => wanted.includes(`${NAT_SHORT[p.camera]}:${NAT_SHORT[p.viewer]}`) || (p.viewer === "same-lan" && wanted.includes("lan")));
  if (picked.length === 0) throw new Error(`${only} matches no pair; use e.g. sym:prc,fc:fc,lan`);
  return picked;
}

/**
 * Strict networks (issue 10): the camera's home lets no UDP out, three times with a freshly
 * started agent (the first session must get its relay over TCP or TLS), then only TCP 443, then
 * the viewer's home lets no UDP out. Both homes are port-restricted cone behind the firewall.
 */
export function strictNetworkPairs(): GridPair[] {
  const base = { camera: "port-restricted", viewer: "port-restricted" } as const;
  return [
    ...[1, 2, 3].map(() => ({ ...base, cameraEgress: "no-udp" as const, freshAgent: true })),
    { ...base, cameraEgress: "tcp-443", freshAgent: true },
    { ...base, viewerEgress: "no-udp" },
  ];
}

export interface GridOptions {
  pairs?: GridPair[];
  /** Per-pair wait for the first frame. */
  frameTimeoutMs?: number;
  /** The viewer's candidates reach signaling this late (lab/ice-probe.ts installLateCandidates). */
  lateCandidatesMs?: number;
  /** After the first frame, wait up to this long for the path to turn direct (settled_path). */
  settleMs?: number;
  /**
   * Run NAT behaviour discovery on the camera's host for each camera NAT (and egress) the pairs
   * use, once each, and record it as camera_detected (default true).
   */
  detectCameraNat?: boolean;
  /**
   * Before each view, run the PWA's "Test my connection" in the viewer's browser, signed in as
   * the camera's owner, and record its NAT verdict and predicted path (default true).
   */
  predict?: boolean;
  /**
   * How the viewer starts each session: "code" (default) — the serial + access code form, as
   * from a camera's label; "account" — the camera's owner, signed in, taps it in "My cameras"
   * (one signaling request, /ws/watch).
   */
  viewerAuth?: "code" | "account";
  /** Save each pair's connection test and live page here (<cam>-<viewer>-test.png, -live.png). */
  screenshotDir?: string;
  /**
   * Views per pair (default 1), each in a fresh page after the one connection test, with the
   * routers' UDP mappings flushed in between: the lab benchmark's repeats (bench/lab.ts).
   */
  views?: number;
  /** Called with each view's result and record (the benchmark reads its timeline). */
  onView?: (pair: GridPair, view: ViewResult, record: GridRecord) => void;
  log?: (line: string) => void;
}

/** "sym-prc", "prc-lan", "prc.no-udp-prc": a pair's screenshot file stem. */
function pairFileName(p: GridPair): string {
  return `${placementName(p.camera, p.cameraEgress)}-${placementName(p.viewer, p.viewerEgress)}`.replace(/\//g, ".");
}

export async function runGrid(lab: Lab, options: GridOptions = {}): Promise<GridRecord[]> {
  const log = options.log ?? (() => {});
  const pairs = options.pairs ?? gridPairs();
  const viewers = new Map<string, LabViewer>();
  const viewerIn = async (ns: string): Promise<LabViewer> => {
    let v = viewers.get(ns);
    if (!v) {
      v = await launchLabViewer(ns, lab.dir, labChromiumArgs(lab));
      viewers.set(ns, v);
    }
    return v;
  };
  const records: GridRecord[] = [];
  // A discovery whenever the camera's router setting changes: the verdict depends on the router
  // alone, and the edge must hold the current one for the connection test's prediction (a cache
  // per setting once let a later group predict from the previous group's status).
  let detected: { key: string; report: AgentNatReport } | undefined;
  try {
    for (const pair of pairs) {
      const { topology } = lab;
      topology.setNat("rA", pair.camera, pair.cameraEgress);
      const natKey = placementName(pair.camera, pair.cameraEgress);
      if (options.detectCameraNat !== false && detected?.key !== natKey) {
        // The running agent's own discovery (SIGUSR2), the report it also sends the edge: the
        // connection test's path prediction reads that status.
        const report = await lab.agent.rediscoverNat();
        detected = { key: natKey, report };
        log(`[lab] camera NAT ${natKey}: agent detected ${report.natType} (mapping ${report.mapping}, filtering ${report.filtering}, hairpinning ${report.hairpinning}, ${report.durationMs} ms)`);
        // Discovery's own mappings must not linger into the pair (setNat flushes them too).
        topology.flushUdpMappings("rA");
      }
      const nat = detected?.key === natKey ? detected.report : undefined;
      // The viewer's router keeps a NAT even when the viewer sits in the camera's LAN.
      topology.setNat("rB", pair.viewer === "same-lan" ? "port-restricted" : pair.viewer, pair.viewerEgress);
      if (pair.freshAgent) await lab.restartAgent();
      if (!lab.agent.online) {
        // A NAT switch keeps TCP mappings, but if signaling did drop, wait for its own retry.
        await lab.agent.waitOnline(15_000).catch(async () => {
          log("[lab] agent not back online; restarting it");
          await lab.restartAgent();
        });
      }
      const viewer = await viewerIn(pair.viewer === "same-lan" ? topology.ns.hA2 : topology.ns.hB);
      let test: ConnectionTestReading | undefined;
      if (options.predict !== false) {
        const shot = options.screenshotDir ? path.join(options.screenshotDir, `${pairFileName(pair)}-test.png`) : undefined;
        test = await viewer.tester(lab.camera.owner, lab.camera.serial).run(30_000, shot);
        log(`[lab]   viewer's connection test: mapping ${test.side.mapping}, filtering ${test.side.filtering}${test.side.udpBlocked ? ", UDP blocked" : ""}; predicted ${test.predictedPath} (${test.predictionReason})`);
        // The test's own STUN and relay probes must not leave mappings the session could use.
        topology.flushUdpMappings("rB");
        if (pair.viewer === "same-lan") topology.flushUdpMappings("rA");
      }
      for (let view = 0; view < (options.views ?? 1); view++) {
        if (view > 0) {
          // Each repeat meets the NATs as the first view did: no mapping left from the last one.
          topology.flushUdpMappings("rB");
          topology.flushUdpMappings("rA");
        }
        const auth = options.viewerAuth === "account" ? { owner: lab.camera.owner } : lab.camera.accessCode;
        const result = await viewer.view(lab.camera.serial, auth, options.frameTimeoutMs ?? 20_000, options.lateCandidatesMs, options.settleMs, options.screenshotDir ? path.join(options.screenshotDir, `${pairFileName(pair)}-live.png`) : undefined, test?.cached);
        const record: GridRecord = {
          camera_nat: pair.camera,
          viewer_nat: pair.viewer,
          ...(nat ? { camera_detected: nat.natType, camera_behavior: { mapping: nat.mapping, filtering: nat.filtering, hairpinning: nat.hairpinning } } : {}),
          ...(test ? { viewer_detected: test.side, predicted_path: test.predictedPath, predicted_reason: test.predictionReason } : {}),
          connected: result.connected,
          path: result.path,
          ...(result.settledPath !== undefined ? { settled_path: result.settledPath } : {}),
          ttff_ms: result.ttffMs === null ? null : Math.round(result.ttffMs),
          expected_path: expectedPath(pair.camera, pair.viewer, pair.cameraEgress, pair.viewerEgress),
          ...(pair.cameraEgress && pair.cameraEgress !== "open" ? { camera_egress: pair.cameraEgress } : {}),
          ...(pair.viewerEgress && pair.viewerEgress !== "open" ? { viewer_egress: pair.viewerEgress } : {}),
          ...(relayTransport(lab.dir) ? { camera_relay: relayTransport(lab.dir) } : {}),
          ...(result.ice.pair ? { pair: result.ice.pair } : {}),
          candidates: { local: result.ice.local, remote: result.ice.remote },
          ...(result.error ? { error: result.error } : {}),
        };
        records.push(record);
        options.onView?.(pair, result, record);
        const verdict = recordPassed(record) ? "ok" : "UNEXPECTED";
        log(
          `[lab] ${placementName(pair.camera, pair.cameraEgress)}→${placementName(pair.viewer, pair.viewerEgress)}: ${record.connected ? `${record.path} in ${record.ttff_ms} ms${record.settled_path !== undefined ? `, then ${record.settled_path}` : ""}` : `no video (${record.error})`}` +
            ` — expected ${record.expected_path}${record.predicted_path ? `, predicted ${record.predicted_path}` : ""}, ${verdict}${verdict === "ok" ? "" : ` (${recordVerdict(record)})`}${result.ice.pair ? ` [${result.ice.pair}]` : ""}`,
        );
        if (verdict !== "ok") {
          log(`[lab]   chromium local: ${result.ice.local.join(", ") || "none"}; from agent: ${result.ice.remote.join(", ") || "none"}`);
          log(`[lab]   agent nomination: ${lastNominationTrace(lab.dir) ?? "none logged"}`);
        }
      }
    }
  } finally {
    for (const v of viewers.values()) await v.close();
  }
  return records;
}

/** The TURN transports the agent's latest session allocated relays on ("tcp+tls"), if it logged any. */
function relayTransport(dir: string): string | undefined {
  const file = path.join(dir, "agent.log");
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.includes('"session_turn_allocated"'));
  const session = (l: string | undefined) => (l ? /"sessionId":"([^"]+)"/.exec(l)?.[1] : undefined);
  const last = session(lines.at(-1));
  const transports = lines.filter((l) => session(l) === last).map((l) => /"transport":"(\w+)"/.exec(l)?.[1]);
  return transports.length ? transports.join("+") : undefined;
}

/** The agent's latest session_ice_nomination trace: the pair just viewed (pairs run one at a time). */
function lastNominationTrace(dir: string): string | undefined {
  const file = path.join(dir, "agent.log");
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, "utf8").split("\n").findLast((l) => l.includes('"session_ice_nomination"'));
  if (!line) return undefined;
  try {
    return (JSON.parse(line.slice(line.indexOf("{"))) as { trace?: string }).trace;
  } catch {
    return line;
  }
}
