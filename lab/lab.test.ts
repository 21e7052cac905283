// The NAT lab grid as a test: real namespaces, nftables NATs, wrangler dev, coturn, the agent
// and headless Chromium (see lab/run.ts). Needs root and the Debian packages the preflight names.
//
// What it asserts (issue 4): all 17 pairs connect, each over exactly its expected path — LAN
// for the same-LAN viewer, P2P wherever the pair can be punched, TURN only for sym↔sym and
// sym↔port-restricted — and grid.json holds the records. Then the race that once sent a
// punchable pair through TURN, forced: the viewer's candidates reach signaling late, so its
// checks from its TURN relay reach the camera first (regular-nomination.ts must still hold out
// for the direct pair).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placementName, runGrid, strictNetworkPairs, type GridPair } from "./grid.ts";
import { writeGridResults } from "./grid-run.ts";
import type { GridRecord } from "./grid-record.ts";
import { startLab, type Lab } from "./lab.ts";
import { labPreflightProblem } from "./preflight.ts";
import { formatResultsTable, summarize } from "./results-table.ts";

const describePair = (r: GridRecord) => `${placementName(r.camera_nat, r.camera_egress)}→${placementName(r.viewer_nat, r.viewer_egress)}`;
const outcome = (r: GridRecord) => `${describePair(r)} ${r.connected ? r.path : `not connected (${r.error})`}`;
const expected = (r: GridRecord) => `${describePair(r)} ${r.expected_path}`;

describe("NAT lab grid", () => {
  let lab: Lab | undefined;
  const lines: string[] = [];
  const evidence = () => lines.filter((l) => l.includes("UNEXPECTED") || l.includes("chromium local") || l.includes("agent nomination")).join("\n");

  beforeAll(async () => {
    const problem = labPreflightProblem();
    if (problem) throw new Error(`cannot run the NAT lab: ${problem}`);
    lab = await startLab({ log: (l) => lines.push(l) });
  }, 90_000);
  afterAll(async () => {
    await lab?.stop();
  }, 30_000);

  it(
    "connects all 17 pairs, each over its expected path: LAN on the same LAN, P2P where a hole can be punched, TURN only where it cannot",
    async () => {
      const records = await runGrid(lab!, { log: (l) => lines.push(l) });
      writeGridResults(records);
      console.log(`${formatResultsTable(records)}\n${summarize(records)}`);
      expect(records).toHaveLength(17);
      expect(records.map(outcome), evidence()).toEqual(records.map(expected));
    },
    240_000,
  );

  it(
    "keeps punchable pairs P2P when the viewer's relayed checks reach the camera before its candidates do",
    async () => {
      // Cameras behind full-cone and restricted-cone NATs accept packets from the TURN server's
      // address, so the viewer's relayed checks get through as peer-reflexive ones.
      const pairs: GridPair[] = [
        { camera: "restricted-cone", viewer: "full-cone" },
        { camera: "restricted-cone", viewer: "restricted-cone" },
        { camera: "restricted-cone", viewer: "port-restricted" },
        { camera: "full-cone", viewer: "restricted-cone" },
        { camera: "port-restricted", viewer: "symmetric" },
      ];
      const records = await runGrid(lab!, { pairs, lateCandidatesMs: 400, log: (l) => lines.push(l) });
      console.log(`late candidates (400 ms):\n${formatResultsTable(records)}`);
      expect(records.map(outcome), evidence()).toEqual(records.map(expected));
    },
    120_000,
  );

  it(
    "connects the first session over TURN TCP or TLS when the camera's network lets no UDP out (3 of 3) or only TCP 443, and when the viewer's lets no UDP out",
    async () => {
      // Each camera-side case restarts the agent first: nothing learned about this network.
      const records = await runGrid(lab!, { pairs: strictNetworkPairs(), log: (l) => lines.push(l) });
      console.log(`strict networks:\n${formatResultsTable(records)}`);
      expect(records.map(outcome), evidence()).toEqual(records.map(expected));
      // The camera's relays ran over what its network lets out: never UDP when UDP is blocked,
      // TLS when only 443 passes.
      const relays = records.map((r) => r.camera_relay ?? "none");
      const shown = records.map((r, i) => `${describePair(r)} ${relays[i]}`).join("; ");
      expect(relays.slice(0, 3).every((t) => /^(tcp|tls)(\+(tcp|tls))*$/.test(t)), shown).toBe(true);
      expect(relays[3], shown).toBe("tls");
    },
    180_000,
  );

  it(
    "moves a session that had to start on the relay to P2P once its direct pair works (the viewer's candidates 2.5 s late)",
    async () => {
      // Behind a restricted-cone camera the viewer's direct checks are dropped until the camera
      // has sent to the viewer, which needs the viewer's (late) candidates: the relay is
      // nominated first; the camera then checks the late direct pairs and restarts ICE onto one.
      const pairs: GridPair[] = [
        { camera: "restricted-cone", viewer: "full-cone" },
        { camera: "restricted-cone", viewer: "port-restricted" },
      ];
      const records = await runGrid(lab!, { pairs, lateCandidatesMs: 2500, settleMs: 12_000, log: (l) => lines.push(l) });
      console.log(`relay first, then direct:\n${formatResultsTable(records)}`);
      const settled = records.map((r) => `${describePair(r)} ${r.connected ? `${r.path} then ${r.settled_path}` : "not connected"}`);
      expect(settled, evidence()).toEqual(records.map((r) => `${describePair(r)} ${r.path} then p2p`));
      expect(records.some((r) => r.path === "relay"), settled.join("; ")).toBe(true);
    },
    120_000,
  );
});
