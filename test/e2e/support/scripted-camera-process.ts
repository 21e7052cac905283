// Why: the e2e tests that need motion on cue start the same process — the real agent on
// scripted-camera.ts's picture — wait for it to come online, and read when its square moved.
import path from "node:path";
import { startProcess, waitFor, type Managed } from "../../../scripts/lib/processes.ts";
import type { startTestStack } from "./local-stack.ts";

type TestStack = Awaited<ReturnType<typeof startTestStack>>;

export interface ScriptedCamera {
  process: Managed;
  /** The spans the square moved, as the camera printed them (oldest first). */
  motions: Array<{ from: number; to: number }>;
  /** Starts the square's 4 s crossing; resolves with its span once the camera says it moved. */
  move(): Promise<{ from: number; to: number }>;
}

/** Runs the scripted camera as the stack's demo camera and waits until the edge shows it online. */
export async function startScriptedCamera(stack: TestStack): Promise<ScriptedCamera> {
  const motions: ScriptedCamera["motions"] = [];
  const child = startProcess(
    "camera",
    process.execPath,
    [path.join(import.meta.dirname, "scripted-camera.ts"), "--edge", stack.url, "--serial", stack.camera.serial, "--name", "Scripted camera", "--data-dir", stack.agentDataDir],
    {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PORTHOLE_DEVICE_TOKEN: stack.camera.token },
      onLine: (line) => {
        stack.logs.push(`[camera] ${line}`);
        if (line.includes('"scripted_motion"')) motions.push(JSON.parse(line) as { from: number; to: number });
      },
    },
  );
  stack.processes.push(child);
  await Promise.race([
    waitFor("the scripted camera to come online", async () => {
      const res = await fetch(`${stack.url}/api/devices/${stack.camera.serial}`);
      return res.ok && ((await res.json()) as { online?: boolean }).online ? true : undefined;
    }, 30_000, 150),
    child.exited.then((code) => {
      throw new Error(`the scripted camera exited early (${code}): ${stack.logs.slice(-20).join("\n")}`);
    }),
  ]);
  return {
    process: child,
    motions,
    async move() {
      const before = motions.length;
      child.child.stdin!.write("move\n");
      return waitFor("the square to move", async () => motions[before], 5_000, 50);
    },
  };
}
