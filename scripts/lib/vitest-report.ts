// Why: a CI log is read from its tail; the runner repeats each failed test's file and full name
// there so a flaky test is named even when the scrollback above it is cut.

export interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTests: number;
  testResults?: Array<{
    name: string;
    status?: string;
    message?: string;
    assertionResults?: Array<{ fullName?: string; title?: string; status: string }>;
  }>;
}

/** "file › full test name" for every failed test, and the file alone when it failed to load. */
export function failedTestNames(report: VitestJsonReport, root = process.cwd()): string[] {
  const names: string[] = [];
  for (const file of report.testResults ?? []) {
    const rel = file.name.startsWith(root) ? file.name.slice(root.length).replace(/^\/+/, "") : file.name;
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) names.push(`${rel} › ${a.fullName ?? a.title ?? "(unnamed)"}`);
    if (!failed.length && file.status === "failed") names.push(`${rel} (the file failed: ${firstLine(file.message)})`);
  }
  return names;
}

function firstLine(text: string | undefined): string {
  return (text ?? "no message").split("\n")[0]!.slice(0, 200);
}
