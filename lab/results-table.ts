// Why: the grid is read by people (terminal, README) — one fixed-width table, failures marked.
import { recordPassed, recordVerdict, type GridRecord } from "./grid-record.ts";
import { viewerVerdictOf } from "./expected-viewer-nat.ts";
import { NAT_SHORT } from "./nat-types.ts";

const HEADERS = ["camera NAT", "camera detected", "viewer NAT", "viewer detected", "expected", "predicted", "path", "ttff ms", "result"] as const;

/** "cone, port filtering" / "symmetric" / "udp-blocked", as the browser's test found it. */
function viewerDetected(r: GridRecord): string {
  if (!r.viewer_detected) return "—";
  const v = viewerVerdictOf(r.viewer_detected);
  return v.verdict === "cone" && v.portFiltering !== null ? `cone, ${v.portFiltering ? "port-filtering" : "open filtering"}` : v.verdict;
}

function row(r: GridRecord): string[] {
  return [
    r.camera_egress ? `${r.camera_nat}, ${r.camera_egress} out` : r.camera_nat,
    r.camera_detected ?? "—",
    r.viewer_egress ? `${r.viewer_nat}, ${r.viewer_egress} out` : r.viewer_nat,
    viewerDetected(r),
    r.expected_path,
    r.predicted_path ?? "—",
    r.connected ? (r.path ?? "?") : "—",
    r.ttff_ms === null ? "—" : String(Math.round(r.ttff_ms)),
    recordVerdict(r),
  ];
}

/** A Markdown-compatible table (pipes), readable in a terminal as it is. */
export function formatResultsTable(records: readonly GridRecord[]): string {
  const rows = [HEADERS as readonly string[], ...records.map(row)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(rows[0] ?? []), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

/** One line: "17/17 pairs as expected" or which pairs failed and why. */
export function summarize(records: readonly GridRecord[]): string {
  const bad = records.filter((r) => !recordPassed(r));
  const head = `${records.length - bad.length}/${records.length} pairs connected over the expected path`;
  if (bad.length === 0) return head;
  const list = bad.map((r) => {
    const pair = `${NAT_SHORT[r.camera_nat]}→${NAT_SHORT[r.viewer_nat]}`;
    if (!r.connected) return `${pair} did not connect${r.error ? `: ${r.error}` : ""}`;
    if (r.path !== r.expected_path) return `${pair} took ${r.path} (expected ${r.expected_path})`;
    const verdict = recordVerdict(r);
    if (verdict === "WRONG NAT") return `${pair}: camera NAT detected as ${r.camera_detected}`;
    if (verdict === "WRONG VIEWER NAT") return `${pair}: viewer's browser found ${viewerDetected(r)}`;
    return `${pair}: predicted ${r.predicted_path} (${r.predicted_reason}), took ${r.path}`;
  });
  return `${head}; ${list.join("; ")}`;
}
