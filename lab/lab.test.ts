// The NAT lab grid as a test: real namespaces, nftables NATs, wrangler dev, coturn, the agent
// and headless Chromium (see lab/run.ts). Needs root and the Debian packages named below.
import { describe, expect, it } from "vitest";
import { runLabGrid } from "./grid-run.ts";
import { formatResultsTable, summarize } from "./results-table.ts";
import { labPreflightProblem } from "./preflight.ts";

describe("NAT lab grid", () => {
  it(
    "connects the same-LAN viewer over the LAN and every NAT pair over P2P, or over TURN exactly where it cannot be punched",
    async () => {
      const problem = labPreflightProblem();
      if (problem) throw new Error(`cannot run the NAT lab: ${problem}`);
      const lines: string[] = [];
      const { records } = await runLabGrid({ log: (l) => lines.push(l) });
      console.log(`${formatResultsTable(records)}\n${summarize(records)}`);
      expect(records).toHaveLength(17);
      expect(summarize(records), lines.filter((l) => l.includes("UNEXPECTED") || l.includes("chromium local")).join("\n")).toBe(
        "17/17 pairs connected over the expected path",
      );
    },
    240_000,
  );
});
