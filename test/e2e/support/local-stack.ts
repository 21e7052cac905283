// Why: each e2e file gets its own stack (own port, own local D1 state) so files never share
// state, and a failed run leaves nothing behind but a folder under .tmp/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { TMP_DIR } from "../../../scripts/lib/paths.ts";
import { startStack, type Stack } from "../../../scripts/lib/stack.ts";

export async function startTestStack(
  name: string,
  options: { agentSource?: string | false; demoOwner?: boolean; agentArgs?: string[]; turn?: boolean; wranglerVars?: Record<string, string> } = {},
): Promise<Stack & { logs: string[] }> {
  const dir = path.join(TMP_DIR, `e2e-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const logs: string[] = [];
  const stack = await startStack({
    port: 0,
    persistDir: path.join(dir, "state"),
    demoFile: path.join(dir, "demo-camera.json"),
    buildWeb: process.env.PORTHOLE_E2E_SKIP_BUILD === "1" ? "if-missing" : "always",
    agentSource: options.agentSource ?? "demo",
    ...(options.demoOwner !== undefined ? { demoOwner: options.demoOwner } : {}),
    ...(options.agentArgs ? { agentArgs: options.agentArgs } : {}),
    // A local coturn (TURN REST credentials through the edge) for relay tests.
    ...(options.turn ? { turn: true } : {}),
    ...(options.wranglerVars ? { wranglerVars: options.wranglerVars } : {}),
    log: (line) => logs.push(line),
    onProcessLine: (proc, line) => {
      logs.push(`[${proc}] ${line}`);
      if (logs.length > 2000) logs.splice(0, 500);
    },
  });
  return Object.assign(stack, { logs });
}
