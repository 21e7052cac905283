// Why: issue 11's first acceptance point, on its own: for each router mode (no NAT and the four
// NAT types) the camera's detected NAT type must equal the configured one. Run by the nat-lab
// suite and printed by `npm run lab` before the grid.
import type { NatReport } from "../device-agent/src/nat/index.ts";
import { detectNat } from "./camera-nat.ts";
import { expectedNatType, type DetectedNatType } from "./expected-nat.ts";
import type { Lab } from "./lab.ts";
import { NAT_TYPES, type RouterMode } from "./nat-types.ts";

/** Every mode a camera's router can be given, the open-internet case first. */
export const ROUTER_MODES: readonly RouterMode[] = ["no-nat", ...NAT_TYPES];

export interface NatDetectionRecord {
  router: RouterMode;
  expected: DetectedNatType;
  detected: DetectedNatType;
  mapping: NatReport["mapping"];
  filtering: NatReport["filtering"];
  hairpinning: boolean | null;
  duration_ms: number;
  error?: string;
}

export async function runNatDetection(lab: Lab, modes: readonly RouterMode[] = ROUTER_MODES, log: (line: string) => void = () => {}): Promise<NatDetectionRecord[]> {
  const records: NatDetectionRecord[] = [];
  try {
    for (const router of modes) {
      lab.topology.setNat("rA", router);
      const r = await detectNat(lab.topology.ns.hA);
      const record: NatDetectionRecord = {
        router,
        expected: expectedNatType(router),
        detected: r.natType,
        mapping: r.mapping,
        filtering: r.filtering,
        hairpinning: r.hairpinning,
        duration_ms: r.durationMs,
        ...(r.error ? { error: r.error } : {}),
      };
      records.push(record);
      log(`[lab] camera router ${router}: detected ${record.detected} — expected ${record.expected}, ${record.detected === record.expected ? "ok" : "UNEXPECTED"}${r.error ? ` (${r.error})` : ""}`);
    }
  } finally {
    // Back to the NAT the lab starts with, so the agent's signaling keeps a normal home.
    lab.topology.setNat("rA", "port-restricted");
  }
  return records;
}

const HEADERS = ["camera router", "detected", "mapping", "filtering", "hairpin", "ms", "result"] as const;

/** The detection results as a pipe table, like the grid's. */
export function formatNatDetectionTable(records: readonly NatDetectionRecord[]): string {
  const rows = [
    HEADERS as readonly string[],
    ...records.map((r) => [r.router, r.detected, r.mapping, r.filtering, r.hairpinning === null ? "—" : r.hairpinning ? "yes" : "no", String(r.duration_ms), r.detected === r.expected ? "ok" : `WRONG (expected ${r.expected})`]),
  ];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(rows[0] ?? []), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}
