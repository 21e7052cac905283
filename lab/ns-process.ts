// Why: lab services (wrangler, coturn, the agent) run inside a namespace via `ip netns exec`,
// which execs the command — so the child's PID is the service's PID and we stop it by PID.
import { startProcess, type Managed } from "../scripts/lib/processes.ts";
import { REPO_ROOT } from "../scripts/lib/paths.ts";

export interface NsProcessOptions {
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
}

export function startInNamespace(name: string, ns: string, command: string, args: string[], options: NsProcessOptions = {}): Managed {
  return startProcess(name, "ip", ["netns", "exec", ns, command, ...args], {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    onLine: (line) => options.onLine?.(line),
  });
}

/** Rejects when the process exits before `ready` settles. */
export async function readyOrExit<T>(proc: Managed, ready: Promise<T>): Promise<T> {
  return Promise.race([
    ready,
    proc.exited.then((code) => {
      throw new Error(`${proc.name} exited early (${code})`);
    }),
  ]);
}
