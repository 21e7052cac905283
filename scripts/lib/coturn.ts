// Why: `npm start` and the tests need a real coturn (Debian's /usr/bin/turnserver) on 127.0.0.1
// with TURN REST credentials. This starts one on free ports with its pidfile, log and userdb
// under .tmp/, and stops exactly that process by PID.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { TMP_DIR } from "./paths.ts";
import { freePort, startProcess, waitFor, type Managed } from "./processes.ts";

export const TURNSERVER_BIN = "/usr/bin/turnserver";
/** The second loopback address coturn listens on for RFC 5780 (`rfc5780` option). */
export const ALT_LOOPBACK_IP = "127.0.0.2";

export interface CoturnOptions {
  /** static-auth-secret shared with the edge (TURN_SECRET). */
  secret: string;
  realm?: string;
  /**
   * Relay to 127.0.0.1 / ::1. Only for local runs and tests where both peers are on loopback;
   * production (turn/turnserver.conf) never sets it.
   */
  allowLoopbackPeers?: boolean;
  /**
   * Start from this config file (`-c`) and override only what a loopback host needs. Without
   * it coturn runs with `-n` (no config file) and the flags below alone.
   */
  configFile?: string;
  /**
   * Also listen on 127.0.0.2 and an alternate port, so coturn answers RFC 5780 NAT behaviour
   * discovery (OTHER-ADDRESS, CHANGE-REQUEST). coturn 4.6.1 turns it on by itself once it has
   * two listening IPs of one family (there is no `--rfc5780` flag, only `--no-rfc5780`). Linux
   * routes all of 127.0.0.0/8 to `lo`, so 127.0.0.2 needs no setup. Ignored with `configFile`
   * (turn/turnserver.conf sets `no-rfc5780`).
   */
  rfc5780?: boolean;
  /** Log every allocation, refresh and permission (`--verbose`). */
  verbose?: boolean;
  /** Name of the folder under .tmp/ for pidfile, log and userdb. */
  name?: string;
  onLine?: (line: string) => void;
}

export interface Coturn {
  /** UDP and TCP listening port on 127.0.0.1. */
  port: number;
  realm: string;
  pid: number;
  /** RFC 5780's alternate address (127.0.0.2 and the alternate port), when `rfc5780` was asked for. */
  altAddress?: { ip: string; port: number };
  /** stun:, turn: (UDP) and turn: (TCP) URLs for this server. */
  urls: string[];
  logFile: string;
  process: Managed;
  /** The full log so far (coturn writes it to logFile). */
  log(): string;
  stop(): Promise<void>;
}

export function coturnInstalled(): boolean {
  return existsSync(TURNSERVER_BIN);
}

/** A relay port range of `size` ports, offset by PID so parallel runs rarely overlap. */
function relayRange(size = 200): [number, number] {
  const base = 40_000 + ((process.pid * 7 + Date.now()) % 40) * 250;
  return [base, base + size - 1];
}

export async function startCoturn(options: CoturnOptions): Promise<Coturn> {
  if (!coturnInstalled()) throw new Error(`${TURNSERVER_BIN} not found (apt-get install coturn)`);
  const realm = options.realm ?? "porthole.local";
  const dir = path.join(TMP_DIR, "coturn", `${options.name ?? "dev"}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const rfc5780 = options.rfc5780 === true && !options.configFile;
  // coturn's default alternate port is port + 1, which nobody reserved: ask for a free one.
  const altPort = rfc5780 ? await freePort() : undefined;
  const [minPort, maxPort] = relayRange();
  const logFile = path.join(dir, "turnserver.log");
  const pidFile = path.join(dir, "turnserver.pid");
  const args = [
    ...(options.configFile ? ["-c", options.configFile] : ["-n"]),
    "--listening-ip=127.0.0.1",
    ...(altPort ? [`--listening-ip=${ALT_LOOPBACK_IP}`, `--alt-listening-port=${altPort}`] : []),
    "--relay-ip=127.0.0.1",
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${maxPort}`,
    "--use-auth-secret",
    `--static-auth-secret=${options.secret}`,
    `--realm=${realm}`,
    `--server-name=${realm}`,
    "--fingerprint",
    "--no-cli",
    // No certificates on a dev host: TURN over TLS is a production concern (turn/DEPLOY.md).
    "--no-tls",
    "--no-dtls",
    `--userdb=${path.join(dir, "turndb")}`,
    `--pidfile=${pidFile}`,
    `--log-file=${logFile}`,
    "--simple-log",
    "--no-stdout-log",
    ...(options.verbose ? ["--verbose"] : []),
    ...(options.allowLoopbackPeers ? ["--allow-loopback-peers"] : []),
  ];
  const proc = startProcess("coturn", TURNSERVER_BIN, args, { onLine: (line) => options.onLine?.(line) });
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  try {
    await Promise.race([
      waitFor(`coturn to listen on 127.0.0.1:${port}`, () => tcpOpen(port), 10_000, 50),
      proc.exited.then((code) => {
        throw new Error(`turnserver exited early (${code}):\n${readLog().slice(-2000)}`);
      }),
    ]);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return {
    port,
    realm,
    ...(altPort ? { altAddress: { ip: ALT_LOOPBACK_IP, port: altPort } } : {}),
    pid: proc.child.pid ?? -1,
    urls: [`stun:127.0.0.1:${port}`, `turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    logFile,
    process: proc,
    log: readLog,
    // SIGTERM to our child's PID only (coturn runs in the foreground, never daemonized).
    stop: () => proc.stop(),
  };
}

function tcpOpen(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(undefined));
  });
}

/**
 * The TURN_REGIONS value for one local coturn (a single region, no location). With RFC 5780 on,
 * the second loopback address is the region's `altStun` (and its alternate port `altStunPort`),
 * so the browser's connection test can compare mappings as the agent does with OTHER-ADDRESS.
 */
export function localTurnRegions(coturn: Pick<Coturn, "urls" | "port" | "altAddress">): string {
  const alt = coturn.altAddress ? { altStun: `stun:${coturn.altAddress.ip}:${coturn.port}`, altStunPort: coturn.altAddress.port } : {};
  return JSON.stringify([{ id: "local", urls: coturn.urls, ...alt }]);
}
