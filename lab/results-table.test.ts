import { describe, expect, it } from "vitest";
import type { GridRecord } from "./grid-record.ts";
import { formatResultsTable, summarize } from "./results-table.ts";

const ok: GridRecord = { camera_nat: "full-cone", camera_detected: "full-cone", viewer_nat: "symmetric", connected: true, path: "p2p", ttff_ms: 412.6, expected_path: "p2p" };
const wrongNat: GridRecord = { camera_nat: "restricted-cone", camera_detected: "port-restricted-cone", viewer_nat: "full-cone", connected: true, path: "p2p", ttff_ms: 300, expected_path: "p2p" };
const wrongPath: GridRecord = { camera_nat: "symmetric", viewer_nat: "symmetric", connected: true, path: "p2p", ttff_ms: 300, expected_path: "relay" };
const failed: GridRecord = { camera_nat: "port-restricted", viewer_nat: "symmetric", connected: false, path: null, ttff_ms: null, expected_path: "relay", error: "timeout" };

describe("grid results table", () => {
  it("prints one aligned row per pair under a header, with ttff rounded to ms", () => {
    const lines = formatResultsTable([ok]).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\| camera NAT \| camera detected \| viewer NAT \| viewer detected \| expected \| predicted \| path \| ttff ms \| result \|$/);
    expect(lines[1]).toMatch(/^\|-+\|/);
    expect(lines[2]).toBe("| full-cone  | full-cone       | symmetric  | —               | p2p      | —         | p2p  | 413     | ok     |");
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("marks a pair on the wrong path and a pair that did not connect", () => {
    const table = formatResultsTable([wrongPath, failed]);
    expect(table).toContain("WRONG PATH");
    expect(table).toMatch(/port-restricted \| — +\| symmetric +\| — +\| relay +\| — +\| — +\| — +\| FAILED/);
  });

  it("fails a pair whose camera NAT was detected as something other than its router's type", () => {
    expect(formatResultsTable([wrongNat])).toMatch(/restricted-cone \| port-restricted-cone \| full-cone .*\| WRONG NAT \|$/m);
    expect(summarize([ok, wrongNat])).toBe("1/2 pairs connected over the expected path; rc→fc: camera NAT detected as port-restricted-cone");
  });

  it("fails a pair whose browser misjudged its own NAT, or whose predicted path was not the one taken", () => {
    const viewerWrong: GridRecord = { ...ok, viewer_detected: { mapping: "endpoint-independent", filtering: "address-dependent", udpBlocked: false } };
    expect(formatResultsTable([viewerWrong])).toMatch(/\| cone, open filtering \| .*WRONG VIEWER NAT/);
    expect(summarize([viewerWrong])).toBe("0/1 pairs connected over the expected path; fc→sym: viewer's browser found cone, open filtering");
    const symmetricViewer = { mapping: "address-and-port-dependent", filtering: "address-and-port-dependent", udpBlocked: false } as const;
    const mispredicted: GridRecord = { ...ok, viewer_detected: symmetricViewer, predicted_path: "relay", predicted_reason: "viewer-symmetric-camera-port-filtering" };
    expect(formatResultsTable([mispredicted])).toMatch(/\| symmetric +\| p2p +\| relay +\| p2p .*MISPREDICTED/);
    expect(summarize([mispredicted])).toBe("0/1 pairs connected over the expected path; fc→sym: predicted relay (viewer-symmetric-camera-port-filtering), took p2p");
    expect(summarize([{ ...mispredicted, predicted_path: "p2p", predicted_reason: "punchable" }])).toBe("1/1 pairs connected over the expected path");
  });

  it("summarizes a clean grid in one line and names each bad pair otherwise", () => {
    expect(summarize([ok])).toBe("1/1 pairs connected over the expected path");
    expect(summarize([ok, wrongPath, failed])).toBe(
      "1/3 pairs connected over the expected path; sym→sym took p2p (expected relay); prc→sym did not connect: timeout",
    );
  });
});
