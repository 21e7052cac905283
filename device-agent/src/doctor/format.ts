// Why: people read one line per check with the fix under it; tools read --json. Both go through
// one scrubber, so a secret the run handled (the device token, a TURN credential) can never be
// printed, whatever a message happens to contain.
import type { CheckResult, CheckStatus, DoctorReport } from "./types.ts";

const MARK: Record<CheckStatus, string> = { pass: "✓", warn: "!", fail: "✗", skip: "-" };

/** Replaces every occurrence of each secret (8+ characters) with [redacted]. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join("[redacted]");
  return out;
}

export function formatHuman(report: DoctorReport, secrets: readonly string[]): string {
  const width = Math.max(...report.checks.map((c) => c.name.length)) + 2;
  const lines = [`Porthole doctor: camera ${report.serial}, edge ${report.edge}`, ""];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.name.padEnd(width)}${c.message}`);
    if (c.fix && c.status !== "pass") lines.push(`  ${"".padEnd(width)}Fix: ${c.fix}`);
  }
  lines.push("", verdict(report.checks));
  return scrub(lines.join("\n"), secrets) + "\n";
}

export function formatJson(report: DoctorReport, secrets: readonly string[]): string {
  return scrub(JSON.stringify(report, null, 2), secrets) + "\n";
}

function verdict(checks: readonly CheckResult[]): string {
  const failed = checks.filter((c) => c.status === "fail");
  const warned = checks.filter((c) => c.status === "warn");
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (failed.length === 0) {
    return warned.length === 0 ? "Result: every check passed." : `Result: no failures, ${count(warned.length, "warning")} (${warned.map((c) => c.name).join(", ")}).`;
  }
  return `Result: ${count(failed.length, "check")} failed (${failed.map((c) => c.name).join(", ")})${warned.length ? `, ${count(warned.length, "warning")}` : ""}. Start with the first ✗ above.`;
}
