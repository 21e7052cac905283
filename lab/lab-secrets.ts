// Why: each lab run mints its own edge secrets and TURN secret into a per-run env file that
// `wrangler dev --env-file` reads (same dotenv format as .dev.vars, scripts/lib/dev-vars.ts),
// so the lab never touches the developer's .dev.vars or local database. TURN is configured as in
// production (TURN_SECRET + TURN_REGIONS, coturn's use-auth-secret): every side gets short-lived
// REST credentials, and the region names its RFC 5780 second address for the connection test.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { EDGE_IP, EDGE_IP_2, TURN_PORT, TURN_TLS_PORT } from "./addresses.ts";

export interface LabSecrets {
  adminToken: string;
  /** Private EC P-256 JWK (JSON) that signs viewer grants. */
  edgeSigningJwk: string;
  /** JWKS with only the public half, pinned into the agent. */
  edgeJwks: string;
  /** coturn's static-auth-secret and the edge's TURN_SECRET (TURN REST credentials). */
  turnSecret: string;
  turnRealm: string;
}

export function mintLabSecrets(): LabSecrets {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = `lab-${randomBytes(4).toString("hex")}`;
  const jwk = { ...privateKey.export({ format: "jwk" }), alg: "ES256", use: "sig", kid };
  const { d: _d, ...pub } = jwk;
  return {
    adminToken: randomBytes(24).toString("base64url"),
    edgeSigningJwk: JSON.stringify(jwk),
    edgeJwks: JSON.stringify({ keys: [pub] }),
    turnSecret: randomBytes(24).toString("base64url"),
    turnRealm: "porthole.lab",
  };
}

/**
 * One TURN region: STUN and TURN over UDP, TCP and TLS 443 on the lab's coturn — the URL set a
 * production region has (turn/DEPLOY.md) — with coturn's second address as `altStun`.
 */
export function labTurnRegions(): string {
  return JSON.stringify([
    {
      id: "lab",
      urls: [`stun:${EDGE_IP}:${TURN_PORT}`, `turn:${EDGE_IP}:${TURN_PORT}?transport=udp`, `turn:${EDGE_IP}:${TURN_PORT}?transport=tcp`, `turns:${EDGE_IP}:${TURN_TLS_PORT}?transport=tcp`],
      altStun: `stun:${EDGE_IP_2}:${TURN_PORT}`,
    },
  ]);
}

/** Writes the env file for `wrangler dev --env-file` (values single-quoted, kept literal). */
export function writeEdgeEnvFile(file: string, s: LabSecrets): void {
  const vars = { ADMIN_TOKEN: s.adminToken, EDGE_SIGNING_JWK: s.edgeSigningJwk, ICE_SERVERS: "[]", TURN_REGIONS: labTurnRegions(),
    // The grid runs "Test my connection" before each of its ~25 views within minutes, from two homes.
    CONNECTION_TEST_LIMITS: "200/200" };
  const body = ["# NAT lab run secrets (lab/lab-secrets.ts); deleted with the run.", ...Object.entries(vars).map(([k, v]) => `${k}='${v}'`), ""];
  writeFileSync(file, body.join("\n"), { mode: 0o600 });
}

/** The camera's ping interval on the lab edge (production: 30 s). */
export const LAB_DEVICE_HEARTBEAT_SECONDS = 5;

/**
 * Vars wrangler takes only on its command line: it reads just the `[secrets] required` names
 * and [vars] from an env file, and TURN_SECRET is deliberately neither (wrangler.toml).
 */
export function edgeCommandLineVars(s: LabSecrets): Record<string, string> {
  // A camera silent for 3 pings (15 s) counts as "stopped answering" (hub/device-heartbeat.ts),
  // so the network-lost test need not wait out production's 90 s.
  return { TURN_SECRET: s.turnSecret, DEVICE_HEARTBEAT_SECONDS: String(LAB_DEVICE_HEARTBEAT_SECONDS) };
}
