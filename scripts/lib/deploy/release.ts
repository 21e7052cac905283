// Why: redeploying identical code is not "no change": it makes a new Worker version and restarts
// every DeviceHub, dropping each camera's and viewer's WebSocket. Each deploy is tagged with its
// content tag (`wrangler deploy --tag`), and the deploy is skipped when the live version has it.
import { jsonFromOutput } from "./json-output.ts";
import type { Wrangler } from "./wrangler-runner.ts";

const jsonOf = (stdout: string) => jsonFromOutput(stdout, "{");

/** The version ID carrying the most traffic in `wrangler deployments status --json`. */
export function parseLiveVersion(stdout: string): string | null {
  const deployment = jsonOf(stdout) as { versions?: { version_id?: string; percentage?: number }[] } | null;
  const versions = [...(deployment?.versions ?? [])].sort((a, b) => (b.percentage ?? 0) - (a.percentage ?? 0));
  return versions[0]?.version_id ?? null;
}

/** The `workers/tag` annotation in `wrangler versions view <id> --json`. */
export function parseVersionTag(stdout: string): string | null {
  const version = jsonOf(stdout) as { annotations?: Record<string, string> } | null;
  return version?.annotations?.["workers/tag"] ?? null;
}

/** The live version's tag; null when the Worker is missing, never deployed, or untagged. */
export async function readLiveTag(wrangler: Wrangler): Promise<string | null> {
  const status = await wrangler(["deployments", "status", "--json"]);
  if (status.code !== 0) return null; // no Worker, or no deployment yet
  const versionId = parseLiveVersion(status.stdout);
  if (!versionId) return null;
  const view = await wrangler(["versions", "view", versionId, "--json"]);
  return view.code === 0 ? parseVersionTag(view.stdout) : null;
}

/**
 * The first URL wrangler lists under the deployed triggers ("  https://<name>.<sub>.workers.dev",
 * or a custom domain). http:// is accepted for the local stand-in used in tests.
 */
export function parseDeployedUrl(output: string): string | null {
  const m = /^\s+(https?:\/\/[^\s/]+)\/?\s*$/m.exec(output);
  return m ? (m[1] as string) : null;
}
