// Why: the lab's delay and loss element (issue 12, shared/notes/field.md "No netem in this
// kernel"). lab/delay/link-delay.c is compiled here on first use and runs in a namespace of its
// own spliced into a router's WAN link:
//
//   ns rA: wan ══ ns lA: home ⇄ link-delay ⇄ net ══ ns inet: rA (port of br0)
//
// The router and the bridge keep their interface names, so nothing else in the lab changes.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, TMP_DIR } from "../scripts/lib/paths.ts";
import type { Managed } from "../scripts/lib/processes.ts";
import type { LinkConditions } from "./link-conditions.ts";
import { startInNamespace } from "./ns-process.ts";
import { inNs, run } from "./shell.ts";

const SOURCE = path.join(REPO_ROOT, "lab", "delay", "link-delay.c");

/**
 * The compiled element, built with `cc -O2` into .tmp/lab/bin under a name that carries the
 * source's hash: an edited source is rebuilt, an unchanged one never is.
 */
export function linkDelayBinary(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const bin = path.join(TMP_DIR, "lab", "bin", `link-delay-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(path.dirname(bin), { recursive: true });
  // Built beside its final name and renamed: two runs compiling at once never see half a file.
  const partial = `${bin}.${process.pid}`;
  run("cc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", partial, SOURCE], { timeoutMs: 60_000 });
  renameSync(partial, bin);
  return bin;
}

/**
 * Turns off TX checksum offload, TSO, GSO and GRO on interfaces of one namespace. A veth passes
 * frames to its peer with checksums still to be filled in and TCP segments up to 64 KB; the
 * element would copy those out verbatim, so every device transmitting into it must finish them.
 */
export function offloadOff(bin: string, ns: string, ifaces: string[]): void {
  inNs(ns, bin, ["offload-off", ...ifaces]);
}

export interface LinkElement {
  /** The forwarder process (stopped by its PID). */
  proc: Managed;
  stop(): Promise<void>;
}

/**
 * Starts the forwarder between two interfaces of `ns`, once its sockets are bound. Loss applies
 * from `egressFrom` only (a home's outgoing frames), delay to both directions.
 */
export async function startLinkElement(bin: string, ns: string, egressFrom: string, toward: string, c: LinkConditions, log: (line: string) => void = () => {}): Promise<LinkElement> {
  const delayUs = Math.round(c.oneWayDelayMs * 1000);
  let ready: () => void = () => {};
  const started = new Promise<void>((r) => (ready = r));
  const proc = startInNamespace(`link-delay ${ns}`, ns, bin, ["forward", egressFrom, toward, String(delayUs), String(c.lossPct), "0"], {
    onLine: (line) => {
      log(`[${ns}] ${line}`);
      if (line.includes("forwarding")) ready();
    },
  });
  const exited = proc.exited.then((code) => {
    throw new Error(`link-delay in ${ns} exited before forwarding (${code})`);
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`link-delay in ${ns} did not start within 5 s`)), 5000).unref());
  try {
    await Promise.race([started, exited, timeout]);
  } catch (error) {
    await proc.stop(1000);
    throw error;
  }
  exited.catch(() => {});
  return { proc, stop: () => proc.stop(2000) };
}
