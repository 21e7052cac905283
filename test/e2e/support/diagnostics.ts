// Why: when an e2e step fails, what the pages and the stack printed is the fastest way to the
// cause. One collector per test file: pages report into it, and `step` dumps it on failure.
import type { Page } from "playwright-core";

export interface Diagnostics {
  /** Collects the page's console and uncaught errors, tagged with `who` (e.g. "A"). */
  watch(page: Page, who?: string): void;
  /** Runs `fn`; if it throws, prints the last page and stack lines, then rethrows. */
  step<T>(fn: () => Promise<T>): Promise<T>;
  readonly lines: string[];
}

export function createDiagnostics(stackLogs: () => readonly string[], extra?: () => Promise<string>): Diagnostics {
  const lines: string[] = [];
  return {
    lines,
    watch(page, who) {
      const tag = who ? `${who} ` : "";
      page.on("console", (m) => lines.push(`[${tag}console.${m.type()}] ${m.text()}`));
      page.on("pageerror", (e) => lines.push(`[${tag}pageerror] ${e.message}`));
    },
    async step(fn) {
      try {
        return await fn();
      } catch (error) {
        const more = extra ? await extra().catch(() => "") : "";
        console.error(`${more ? `${more}\n` : ""}${lines.slice(-40).join("\n")}\n--- stack logs ---\n${stackLogs().slice(-80).join("\n")}`);
        throw error;
      }
    },
  };
}
