// The NAT lab grid as a test: real namespaces, nftables NATs, wrangler dev, coturn, the agent
// and headless Chromium (see lab/run.ts). Needs root and the Debian packages the preflight names.
//
// What it asserts (issue 4): all 17 pairs connect, each over exactly its expected path — LAN
// for the same-LAN viewer, P2P wherever the pair can be punched, TURN only for sym↔sym and
// sym↔port-restricted — and grid.json holds the records. Then the race that once sent a
// punchable pair through TURN, forced: the viewer's candidates reach signaling late, so its
// checks from its TURN relay reach the camera first (regular-nomination.ts must still hold out
// for the direct pair). Issue 12: the same 17 pairs, same paths, at 40 and 150 ms RTT between
// camera and viewer. Issue 11: the camera's NAT type, found by the agent's RFC 5780 discovery
// against the lab coturn (two addresses), equals its router's type — no NAT and all four NATs.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../scripts/lib/processes.ts";
import { expectedNatType } from "./expected-nat.ts";
import { expectedViewerNat, viewerVerdictOf } from "./expected-viewer-nat.ts";
import { formatNatDetectionTable, runNatDetection } from "./nat-detection.ts";
import { placementName, runGrid, strictNetworkPairs, type GridPair } from "./grid.ts";
import { writeGridResults } from "./grid-run.ts";
import { runLabDoctor } from "./lab-doctor.ts";
import { LAB_DEVICE_HEARTBEAT_SECONDS } from "./lab-secrets.ts";
import { launchLabViewer } from "./viewer.ts";
import { labChromiumArgs } from "./lab-tls.ts";
import { EDGE_URL } from "./addresses.ts";
import type { GridRecord } from "./grid-record.ts";
import { startLab, type Lab } from "./lab.ts";
import { labPreflightProblem } from "./preflight.ts";
import { conditionsForRtt } from "./link-conditions.ts";
import { formatResultsTable, summarize } from "./results-table.ts";

const describePair = (r: GridRecord) => `${placementName(r.camera_nat, r.camera_egress)}→${placementName(r.viewer_nat, r.viewer_egress)}`;
const outcome = (r: GridRecord) => `${describePair(r)} ${r.connected ? r.path : `not connected (${r.error})`}`;
const expected = (r: GridRecord) => `${describePair(r)} ${r.expected_path}`;

/**
 * Issue 11: the viewer's browser ("Test my connection") tells cone from symmetric and port
 * filtering as its router is set, and the path it predicts from both sides is the one taken.
 */
function expectBothSidesDetectedAndPredicted(records: GridRecord[]): void {
  const seen = (r: GridRecord) => (r.viewer_detected ? viewerVerdictOf(r.viewer_detected) : "not tested");
  expect(records.map((r) => `${describePair(r)} ${JSON.stringify(seen(r))}`)).toEqual(
    records.map((r) => `${describePair(r)} ${JSON.stringify(expectedViewerNat(r.viewer_nat, r.camera_nat, r.viewer_egress))}`),
  );
  // The reason code goes into the failure message, not the comparison.
  const reasons = records.map((r) => `${describePair(r)}: ${r.predicted_reason}`).join("; ");
  expect(records.map((r) => `${describePair(r)} predicted ${r.predicted_path}`), reasons).toEqual(records.map((r) => `${describePair(r)} predicted ${r.path}`));
}

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
    "detects the camera's NAT as its router is configured: open internet without NAT, full cone, restricted cone, port-restricted cone, symmetric",
    async () => {
      // The agent's own discovery at start, behind the port-restricted router the lab starts with.
      const agentLog = path.join(lab!.dir, "agent.log");
      const discoveredAtStart = async () => (existsSync(agentLog) ? readFileSync(agentLog, "utf8") : "").split("\n").find((l) => l.includes('"event":"nat_discovered"'));
      const atStart = await waitFor("the agent's nat_discovered event at start", discoveredAtStart, 15_000, 100).catch(() => undefined);
      expect(atStart, "the agent logged no nat_discovered event within 15 s of start").toBeDefined();
      expect(JSON.parse(atStart!)).toMatchObject({ reason: "start", natType: "port-restricted-cone", mapping: "endpoint-independent", filtering: "address-and-port-dependent", rfc5780: true });

      const records = await runNatDetection(lab!, undefined, (l) => lines.push(l));
      console.log(`camera NAT detection:\n${formatNatDetectionTable(records)}`);
      expect(records.map((r) => `${r.router} → ${r.detected}`)).toEqual([
        "no-nat → open-internet",
        "full-cone → full-cone",
        "restricted-cone → restricted-cone",
        "port-restricted → port-restricted-cone",
        "symmetric → symmetric",
      ]);
      // The raw RFC 5780 behaviours behind the names.
      expect(records.map((r) => `${r.mapping}/${r.filtering}`)).toEqual([
        "none/endpoint-independent",
        "endpoint-independent/endpoint-independent",
        "endpoint-independent/address-dependent",
        "endpoint-independent/address-and-port-dependent",
        "address-and-port-dependent/address-and-port-dependent",
      ]);
      // The no-nat router let the agent's signaling TCP connection through unmasqueraded; behind
      // the NATs that follow it is dead while the agent may still think it online, and the grid's
      // first viewer would meet a camera that never answers. Start the next test from a fresh one.
      await lab!.restartAgent();
      await lab!.agent.waitOnline(15_000);
    },
    90_000,
  );

  it(
    "connects all 17 pairs, each over its expected path: LAN on the same LAN, P2P where a hole can be punched, TURN only where it cannot",
    async () => {
      const records = await runGrid(lab!, { log: (l) => lines.push(l) });
      writeGridResults(records);
      console.log(`${formatResultsTable(records)}\n${summarize(records)}`);
      expect(records).toHaveLength(17);
      expect(records.map(outcome), evidence()).toEqual(records.map(expected));
      // Each pair's camera NAT, as the camera's discovery saw it (issue 11), in the table too.
      expect(records.map((r) => `${describePair(r)} ${r.camera_detected}`)).toEqual(records.map((r) => `${describePair(r)} ${expectedNatType(r.camera_nat)}`));
      expectBothSidesDetectedAndPredicted(records);
    },
    360_000,
  );

  it(
    "connects all 17 pairs over their expected paths with 40 and with 150 ms of round trip between camera and viewer, the owner signed in",
    async () => {
      // The same lab, its WAN links given delay elements (lab/link-delay.ts) and then plain
      // veths again. No connection test per pair here (the 0 ms grid checks the predictions);
      // the camera's own NAT discovery still runs per router setting, as in every grid. The
      // viewer is the signed-in owner (one signaling request, /ws/watch); the 0 ms grid views
      // with the label's access code.
      const outcomes: string[] = [];
      const wanted: string[] = [];
      try {
        for (const rttMs of [40, 150]) {
          await lab!.topology.setLinkConditions(conditionsForRtt(rttMs));
          // The first frame's wait grows with the round trip: set-up is a handful of them.
          const records = await runGrid(lab!, { predict: false, viewerAuth: "account", frameTimeoutMs: 20_000 + rttMs * 40, log: (l) => lines.push(l) });
          console.log(`${rttMs} ms RTT:\n${formatResultsTable(records)}\n${summarize(records)}`);
          expect(records).toHaveLength(17);
          outcomes.push(...records.map((r) => `${rttMs} ms ${outcome(r)}`));
          wanted.push(...records.map((r) => `${rttMs} ms ${expected(r)}`));
        }
      } finally {
        await lab!.topology.setLinkConditions(null);
      }
      expect(outcomes, evidence()).toEqual(wanted);
    },
    600_000,
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
      const records = await runGrid(lab!, { pairs, lateCandidatesMs: 400, detectCameraNat: false, predict: false, log: (l) => lines.push(l) });
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
      // A camera behind a home that lets no UDP out says so (issue 11).
      expect(records.map((r) => `${describePair(r)} ${r.camera_detected}`)).toEqual(records.map((r) => `${describePair(r)} ${expectedNatType(r.camera_nat, r.camera_egress)}`));
      expectBothSidesDetectedAndPredicted(records);
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
    "doctor on a camera whose network lets only TCP 443 out: names UDP blocked in plain words, passes TURN over TLS with a real certificate, and exits 0",
    async () => {
      lab!.topology.setNat("rA", "port-restricted", "tcp-443");
      try {
        const { exitCode, report } = await runLabDoctor(lab!);
        const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
        const shown = report.checks.map((c) => `${c.id} ${c.status} ${c.code}: ${c.message}`).join("\n");
        expect(byId.turn_tls?.status, shown).toBe("pass");
        for (const id of ["stun_udp", "turn_udp"]) {
          expect(byId[id], shown).toMatchObject({ status: "warn", code: "udp_blocked" });
          expect(byId[id]!.message, shown).toMatch(/^UDP blocked, TCP works: /);
        }
        expect(byId.nat_type?.message, shown).toMatch(/UDP/);
        expect(report.checks.filter((c) => c.status === "fail"), shown).toEqual([]);
        expect(exitCode, shown).toBe(0);
        // Nothing secret in the report: not the device token's payload, not a TURN password.
        const text = JSON.stringify(report);
        expect(text).not.toContain(lab!.camera.token.split(".")[1]);
        expect(text).not.toContain(lab!.secrets.turnSecret);
      } finally {
        lab!.topology.setNat("rA", "port-restricted");
      }
    },
    90_000,
  );

  it(
    "says the camera stopped answering when its home loses the internet, on the owner's camera page, and the camera comes back by itself",
    async () => {
      const viewer = await launchLabViewer(lab!.topology.ns.hB, lab!.dir, labChromiumArgs(lab!));
      try {
        const page = await viewer.tester(lab!.camera.owner, lab!.camera.serial).ownerPage();
        const diagnostics = () =>
          page.evaluate(async (serial) => {
            const res = await fetch(`/api/cameras/${encodeURIComponent(serial)}/diagnostics`);
            return (await res.json()) as { online: boolean; connections: Array<{ reason: string | null; closeCode: number | null }> };
          }, lab!.camera.serial);
        await page.goto(`${EDGE_URL}/`);
        expect((await diagnostics()).online).toBe(true);
        // The cable is pulled: nothing closes the camera's socket, it just goes silent.
        lab!.topology.setWanUp("rA", false);
        const until = Date.now() + (LAB_DEVICE_HEARTBEAT_SECONDS * 3 + 15) * 1000;
        let d = await diagnostics();
        while (d.online && Date.now() < until) {
          await page.waitForTimeout(500);
          d = await diagnostics();
        }
        expect(d.online).toBe(false);
        expect(d.connections[0]).toMatchObject({ reason: "stopped-answering", closeCode: 4408 });
        await page.goto(`${EDGE_URL}/cameras/${encodeURIComponent(lab!.camera.serial)}`);
        const why = page.locator('[data-testid="offline-explanation"]');
        await why.waitFor({ timeout: 15_000 });
        expect(await why.getAttribute("data-reason")).toBe("stopped-answering");
        expect(await page.locator('[data-testid="offline-checklist"]').innerText()).toMatch(/internet|router|Wi-Fi/i);
        await page.close();
      } finally {
        lab!.topology.setWanUp("rA", true);
        await viewer.close();
      }
      // Its own reconnect policy brings it back once the link is up.
      await lab!.agent.waitOnline(60_000);
    },
    150_000,
  );
});
