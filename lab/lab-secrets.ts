// Why: each lab run mints its own edge secrets and TURN user into a per-run env file that
// `wrangler dev --env-file` reads (same dotenv format as .dev.vars, scripts/lib/dev-vars.ts),
// so the lab never touches the developer's .dev.vars or local database.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { IceServer } from "../protocol/index.ts";
import { EDGE_IP, TURN_PORT, TURN_TLS_PORT } from "./addresses.ts";

export interface LabSecrets {
  adminToken: string;
  /** Private EC P-256 JWK (JSON) that signs viewer grants. */
  edgeSigningJwk: string;
  /** JWKS with only the public half, pinned into the agent. */
  edgeJwks: string;
  turnUser: string;
  turnPassword: string;
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
    turnUser: "lab",
    turnPassword: randomBytes(12).toString("base64url"),
    turnRealm: "porthole.lab",
  };
}

/**
 * STUN and TURN over UDP, TCP and TLS 443 on the lab's coturn, with the static long-term user:
 * the same URL set a production region has (turn/DEPLOY.md).
 */
export function labIceServers(s: LabSecrets): IceServer[] {
  return [
    { urls: [`stun:${EDGE_IP}:${TURN_PORT}`] },
    {
      urls: [
        `turn:${EDGE_IP}:${TURN_PORT}?transport=udp`,
        `turn:${EDGE_IP}:${TURN_PORT}?transport=tcp`,
        `turns:${EDGE_IP}:${TURN_TLS_PORT}?transport=tcp`,
      ],
      username: s.turnUser,
      credential: s.turnPassword,
    },
  ];
}

/** Writes the env file for `wrangler dev --env-file` (values single-quoted, kept literal). */
export function writeEdgeEnvFile(file: string, s: LabSecrets): void {
  const vars = { ADMIN_TOKEN: s.adminToken, EDGE_SIGNING_JWK: s.edgeSigningJwk, ICE_SERVERS: JSON.stringify(labIceServers(s)) };
  const body = ["# NAT lab run secrets (lab/lab-secrets.ts); deleted with the run.", ...Object.entries(vars).map(([k, v]) => `${k}='${v}'`), ""];
  writeFileSync(file, body.join("\n"), { mode: 0o600 });
}
