// docs/logs.md is the operators' table of every log event; the typed unions are the truth. A new
// event in worker/src/log.ts or device-agent/src/log.ts without a row here fails this test.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./lib/paths.ts";

/** The `event: "name"` literals of a LogEvent union's source. */
function eventNames(file: string): string[] {
  const src = readFileSync(path.join(REPO_ROOT, file), "utf8");
  const union = src.slice(src.indexOf("export type LogEvent"));
  return [...new Set([...union.matchAll(/event: "([a-z_]+)"/g)].map((m) => m[1]!))];
}

/** The event names written as `code` in the first column of docs/logs.md's tables. */
function documented(): Set<string> {
  const doc = readFileSync(path.join(REPO_ROOT, "docs", "logs.md"), "utf8");
  const names = new Set<string>();
  for (const line of doc.split("\n")) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1];
    for (const m of first?.matchAll(/`([a-z_]+)`/g) ?? []) names.add(m[1]!);
  }
  return names;
}

describe("docs/logs.md", () => {
  it("has a row for every event the edge logs", () => {
    const names = eventNames("worker/src/log.ts");
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !documented().has(n))).toEqual([]);
  });

  it("has a row for every event the agent logs", () => {
    const names = eventNames("device-agent/src/log.ts");
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !documented().has(n))).toEqual([]);
  });
});
