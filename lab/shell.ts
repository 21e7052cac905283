// Why: the lab drives ip, nft, conntrack and friends; every call is bounded in time and fails
// with the command and its stderr, so a broken step names itself instead of hanging the grid.
import { spawnSync } from "node:child_process";

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFail?: boolean;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class LabCommandError extends Error {
  readonly code = "lab_command_failed";
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const r = spawnSync(command, args, {
    input: options.input,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 10_000,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const result = { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (!options.allowFail && (r.error || r.status !== 0)) {
    const why = r.error ? r.error.message : `exit ${r.status}`;
    throw new LabCommandError(`${command} ${args.join(" ")} failed (${why}): ${result.stderr.trim().slice(0, 500)}`);
  }
  return result;
}

/** `ip netns exec <ns> <command…>`: the command runs in that namespace's network stack. */
export function inNs(ns: string, command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  return run("ip", ["netns", "exec", ns, command, ...args], options);
}

/** `ip -n <ns> …`: configures a namespace's links and addresses from outside. */
export function ipIn(ns: string, ...args: string[]): RunResult {
  return run("ip", ["-n", ns, ...args]);
}
