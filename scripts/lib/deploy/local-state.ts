// Why: two things outlive a deploy on the operator's machine: the edge's URL (so a run that deploys
// nothing still checks /api/health) and a freshly minted ADMIN_TOKEN, which Cloudflare never shows
// again and vendors are registered with. Both go to .porthole/ (gitignored), the token 0600.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface DeployState {
  url?: string;
  tag?: string;
}

function stateDir(configPath: string): string {
  return path.join(path.dirname(configPath), ".porthole");
}

export function readDeployState(configPath: string): DeployState {
  const file = path.join(stateDir(configPath), "deploy.json");
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DeployState;
  } catch {
    return {};
  }
}

export function writeDeployState(configPath: string, state: DeployState): void {
  mkdirSync(stateDir(configPath), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir(configPath), "deploy.json"), `${JSON.stringify(state, null, 2)}\n`);
}

/** Writes the minted admin token where only this user can read it; returns the file's path. */
export function writeAdminToken(configPath: string, token: string): string {
  const dir = stateDir(configPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "admin-token");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // mode applies only to a new file
  return file;
}
