// Why: the relay for pairs that cannot be hole-punched. The lab runs Debian's coturn in the
// server namespace with TURN REST credentials (use-auth-secret, as turn/turnserver.conf), on
// every transport a production coturn offers (turn/turnserver.conf): UDP and TCP on 3478 and
// TLS on 443, for homes whose network blocks UDP or passes only TCP 443. It listens on the
// server's second address too, so it answers RFC 5780 NAT behaviour discovery (issue 11).
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Managed } from "../scripts/lib/processes.ts";
import { waitFor } from "../scripts/lib/processes.ts";
import { EDGE_IP, EDGE_IP_2, TURN_PORT, TURN_TLS_PORT } from "./addresses.ts";

/** coturn's RFC 5780 alternate port: its default, the listening port plus one. */
export const TURN_ALT_PORT = TURN_PORT + 1;
import type { LabSecrets } from "./lab-secrets.ts";
import type { LabTls } from "./lab-tls.ts";
import { readyOrExit, startInNamespace } from "./ns-process.ts";
import { inNs } from "./shell.ts";

export async function startLabCoturn(ns: string, dir: string, s: LabSecrets, tls: LabTls): Promise<Managed> {
  mkdirSync(dir, { recursive: true });
  const proc = startInNamespace("coturn", ns, "turnserver", [
    "-n", // no /etc/turnserver.conf
    `--listening-ip=${EDGE_IP}`,
    // A second listening IP of the same family turns RFC 5780 on in coturn 4.6.1 (it has only
    // --no-rfc5780): Binding responses carry OTHER-ADDRESS (EDGE_IP_2, TURN_ALT_PORT) and
    // CHANGE-REQUEST is honoured. Relays stay on EDGE_IP.
    `--listening-ip=${EDGE_IP_2}`,
    `--alt-listening-port=${TURN_ALT_PORT}`,
    `--relay-ip=${EDGE_IP}`,
    `--listening-port=${TURN_PORT}`,
    "--use-auth-secret",
    `--static-auth-secret=${s.turnSecret}`,
    `--realm=${s.turnRealm}`,
    "--fingerprint",
    "--no-cli",
    `--tls-listening-port=${TURN_TLS_PORT}`,
    `--cert=${tls.certFile}`,
    `--pkey=${tls.keyFile}`,
    "--no-tlsv1",
    "--no-tlsv1_1",
    "--no-dtls",
    "--min-port=49160",
    "--max-port=49999",
    `--userdb=${path.join(dir, "turndb")}`,
    `--pidfile=${path.join(dir, "turnserver.pid")}`,
    `--log-file=${path.join(dir, "turnserver.log")}`,
    "--simple-log",
    "--no-stdout-log",
    // As turn/turnserver.conf does in production: never relay to the homes' private ranges.
    // Without it a browser's relay → camera-host check makes coturn send to 192.168.x, which
    // this namespace has no route to, and that browser's allocation stops relaying: every
    // relay-only pair failed once the agent stopped nominating at once (regular-nomination.ts).
    "--denied-peer-ip=10.0.0.0-10.255.255.255",
    "--denied-peer-ip=172.16.0.0-172.31.255.255",
    "--denied-peer-ip=192.168.0.0-192.168.255.255",
  ]);
  const listening = async () => {
    const udpOut = inNs(ns, "ss", ["-H", "-lun"], { allowFail: true }).stdout;
    const udp = [`${EDGE_IP}:${TURN_PORT}`, `${EDGE_IP_2}:${TURN_PORT}`, `${EDGE_IP_2}:${TURN_ALT_PORT}`].every((a) => udpOut.includes(a));
    const tcp = inNs(ns, "ss", ["-H", "-ltn"], { allowFail: true }).stdout;
    return udp && tcp.includes(`${EDGE_IP}:${TURN_PORT}`) && tcp.includes(`${EDGE_IP}:${TURN_TLS_PORT}`) ? true : undefined;
  };
  await readyOrExit(proc, waitFor("coturn to listen", listening, 10_000, 100));
  return proc;
}
