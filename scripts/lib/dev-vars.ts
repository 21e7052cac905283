// Why: the worker's secrets (ADMIN_TOKEN, EDGE_SIGNING_JWK, TURN_SECRET, VAPID_PRIVATE_JWK) must never be committed, yet a fresh
// clone must run with one command. We mint them locally into .dev.vars (gitignored), which
// `wrangler dev` reads; production sets them with `wrangler secret put`.
import { randomBytes, generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { DEV_VARS_PATH } from "./paths.ts";

export interface DevVars {
  ADMIN_TOKEN: string;
  EDGE_SIGNING_JWK: string;
  /**
   * Shared with the local coturn (scripts/lib/coturn.ts). The stack passes it to `wrangler dev`
   * with --var (wrangler reads only `[secrets] required` names from here), with TURN_REGIONS.
   */
  TURN_SECRET: string;
  /**
   * The VAPID key pair (RFC 8292) that signs Web Push requests; the PWA subscribes with its
   * public half (GET /api/push/vapid-key). Passed with --var like TURN_SECRET: push is optional.
   */
  VAPID_PRIVATE_JWK: string;
  [key: string]: string;
}

/** Parses a dotenv-style file (KEY=value, optional double quotes, # comments). */
export function parseDevVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith("#")) continue;
    let value = m[2] ?? "";
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = JSON.parse(value) as string;
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1);
    }
    out[m[1] as string] = value;
  }
  return out;
}

/** One fresh value per secret; `npm run deploy` (scripts/lib/deploy/secrets.ts) mints production's with these too. */
export const SECRET_MINTERS = {
  ADMIN_TOKEN: () => randomBytes(24).toString("base64url"),
  EDGE_SIGNING_JWK: () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    return JSON.stringify({ ...privateKey.export({ format: "jwk" }), alg: "ES256", use: "sig", kid: `edge-${randomBytes(4).toString("hex")}` });
  },
  TURN_SECRET: () => randomBytes(24).toString("base64url"),
  VAPID_PRIVATE_JWK: () => JSON.stringify(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" })),
} satisfies Record<string, () => string>;

function mintDevVars(): DevVars {
  return {
    ADMIN_TOKEN: SECRET_MINTERS.ADMIN_TOKEN(),
    EDGE_SIGNING_JWK: SECRET_MINTERS.EDGE_SIGNING_JWK(),
    TURN_SECRET: SECRET_MINTERS.TURN_SECRET(),
    VAPID_PRIVATE_JWK: SECRET_MINTERS.VAPID_PRIVATE_JWK(),
  };
}

/** Returns the local secrets, creating .dev.vars with fresh ones if it is missing or incomplete. */
export function ensureDevVars(file: string = DEV_VARS_PATH): DevVars {
  const existing = existsSync(file) ? parseDevVars(readFileSync(file, "utf8")) : {};
  if (existing.ADMIN_TOKEN && existing.EDGE_SIGNING_JWK && existing.TURN_SECRET && existing.VAPID_PRIVATE_JWK) return existing as DevVars;
  // Existing values win: adding TURN_SECRET or VAPID_PRIVATE_JWK to an older file keeps its other secrets.
  const vars = { ...mintDevVars(), ...existing } as DevVars;
  const body = [
    "# Local development secrets for `wrangler dev`, minted by scripts/lib/dev-vars.ts.",
    "# Never commit this file. Production: `wrangler secret put ADMIN_TOKEN` etc.",
    // Single quotes: dotenv keeps them literal, and JSON values contain no single quote.
    ...Object.entries(vars).map(([k, v]) => `${k}='${v}'`),
    "",
  ].join("\n");
  writeFileSync(file, body, { mode: 0o600 });
  return vars;
}
