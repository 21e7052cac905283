// Why: a namespace is only gone once nothing runs in it; the topology and the delay element's
// splice both delete namespaces this one way (processes first, by PID, then `ip netns del`).
import { run } from "./shell.ts";

/** Ends every process still running in a namespace, then deletes it. */
export function deleteNamespace(ns: string): void {
  const pids = run("ip", ["netns", "pids", ns], { allowFail: true }).stdout.split(/\s+/).filter(Boolean).map(Number);
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
    }
    if (signal === "SIGTERM" && pids.length) run("sleep", ["0.3"]);
  }
  run("ip", ["netns", "del", ns], { allowFail: true });
}
