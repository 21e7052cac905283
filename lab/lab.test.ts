// The NAT lab grid as a test: real namespaces, nftables NATs, wrangler dev, coturn, the agent
// and headless Chromium (see lab/run.ts). Needs root and the Debian packages named below.
//
// What it asserts: every pair connects; the same-LAN viewer stays on the LAN; the pairs that
// cannot be punched (sym↔sym, sym↔port-restricted) go through TURN. What it does not assert
// yet: that every punchable pair ends up P2P. werift (the camera, ICE-controlling) nominates
// aggressively, so a relayed check that answers first can win over a direct pair that needs one
// more retransmission — 0–4 of the 13 punchable pairs per run. That race is an open item of
// issue 4 (regular nomination in the agent); `npm run lab` reports it exactly and exits non-zero.
import { describe, expect, it } from "vitest";
import { runLabGrid } from "./grid-run.ts";
import { formatResultsTable, summarize } from "./results-table.ts";
import { labPreflightProblem } from "./preflight.ts";

describe("NAT lab grid", () => {
  it(
    "connects all 17 pairs: the same-LAN viewer over the LAN, the unpunchable pairs over TURN",
    async () => {
      const problem = labPreflightProblem();
      if (problem) throw new Error(`cannot run the NAT lab: ${problem}`);
      const lines: string[] = [];
      const { records } = await runLabGrid({ log: (l) => lines.push(l) });
      console.log(`${formatResultsTable(records)}\n${summarize(records)}`);
      const evidence = lines.filter((l) => l.includes("UNEXPECTED") || l.includes("chromium local")).join("\n");
      expect(records).toHaveLength(17);
      expect(records.filter((r) => !r.connected).map((r) => `${r.camera_nat}→${r.viewer_nat}: ${r.error}`), evidence).toEqual([]);
      const mustBe = records.filter((r) => r.expected_path !== "p2p").map((r) => `${r.camera_nat}→${r.viewer_nat} ${r.path}`);
      expect(mustBe).toEqual(records.filter((r) => r.expected_path !== "p2p").map((r) => `${r.camera_nat}→${r.viewer_nat} ${r.expected_path}`));
      // Punchable pairs: connected (above) over P2P or, through the known race, TURN — never LAN.
      expect(records.filter((r) => r.expected_path === "p2p" && r.path === "lan")).toEqual([]);
    },
    240_000,
  );
});
