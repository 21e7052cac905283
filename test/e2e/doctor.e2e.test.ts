// `porthole-agent doctor` against real faults on loopback: the real edge (wrangler dev), a real
// coturn and the real agent running beside it. Each fault is made for real — a closed port, a
// name under .invalid, the camera's clock set 10 minutes ahead, a camera revoked through the
// vendor API, coturn restarted without UDP listeners, coturn restarted with another secret — and
// the doctor must name it in plain words with the right exit code, without printing a secret and
// without knocking the running agent off the edge.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_TOKEN_AUDIENCE } from "../../protocol/index.ts";
import { doctorMain, type CheckResult, type DoctorDeps, type DoctorReport } from "../../device-agent/src/doctor/index.ts";
import { provisionDevice, revokeDevice } from "../../scripts/provision/provision.ts";
import { TURNSERVER_BIN } from "../../scripts/lib/coturn.ts";
import { ensureDevVars } from "../../scripts/lib/dev-vars.ts";
import { REPO_ROOT, TMP_DIR } from "../../scripts/lib/paths.ts";
import { freePort, startProcess, waitFor, type Managed } from "../../scripts/lib/processes.ts";
import { startTestStack } from "./support/local-stack.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
let keyDir: string;
let replacement: Managed | undefined;

beforeAll(async () => {
  stack = await startTestStack("doctor", { turn: true });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  keyDir = path.join(TMP_DIR, `doctor-e2e-keys-${process.pid}-${Date.now()}`);
  mkdirSync(keyDir, { recursive: true });
});

afterAll(async () => {
  await replacement?.stop();
  await stack?.stop();
});

interface Outcome {
  exitCode: number;
  text: string;
  report: DoctorReport;
  byId: Record<string, CheckResult>;
}

/** Runs the doctor in-process twice (human and --json) with the camera's flags. */
async function doctor(o: { edge?: string; serial?: string; token?: string; deps?: Partial<DoctorDeps> } = {}): Promise<Outcome> {
  const argv = ["--edge", o.edge ?? stack.url, "--serial", o.serial ?? stack.camera.serial];
  const env = { PORTHOLE_DEVICE_TOKEN: o.token ?? stack.camera.token };
  let text = "";
  const exitCode = await doctorMain(argv, env, { stdout: (t) => (text += t), stderr: (t) => (text += t) }, o.deps);
  let json = "";
  const jsonExit = await doctorMain([...argv, "--json"], env, { stdout: (t) => (json += t), stderr: (t) => (json += t) }, o.deps);
  expect(jsonExit).toBe(exitCode);
  const report = JSON.parse(json) as DoctorReport;
  expect(report.exitCode).toBe(exitCode);
  return { exitCode, text, report, byId: Object.fromEntries(report.checks.map((c) => [c.id, c])) };
}

function expectNoSecrets(out: Outcome, secrets: string[]): void {
  const all = out.text + JSON.stringify(out.report);
  for (const s of secrets) expect(all).not.toContain(s);
}

async function online(serial: string): Promise<boolean> {
  const res = await fetch(`${stack.url}/api/devices/${serial}`);
  return ((await res.json()) as { online: boolean }).online;
}

function tcpOpen(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(undefined));
  });
}

/** Stops the stack's coturn (or our last one) and starts another on the same port with `flags`. */
async function replaceCoturn(secret: string, flags: string[]): Promise<void> {
  const coturn = stack.coturn!;
  await (replacement ?? coturn.process).stop();
  const dir = path.join(TMP_DIR, "coturn", `doctor-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const base = 45_000 + (process.pid % 40) * 100;
  replacement = startProcess("coturn-doctor", TURNSERVER_BIN, [
    "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", `--listening-port=${coturn.port}`, `--min-port=${base}`, `--max-port=${base + 99}`,
    "--use-auth-secret", `--static-auth-secret=${secret}`, `--realm=${coturn.realm}`, `--server-name=${coturn.realm}`, "--fingerprint",
    "--no-cli", "--no-tls", "--no-dtls", "--no-rfc5780", `--userdb=${path.join(dir, "turndb")}`, `--pidfile=${path.join(dir, "turnserver.pid")}`,
    `--log-file=${path.join(dir, "turnserver.log")}`, "--simple-log", "--no-stdout-log", "--allow-loopback-peers", ...flags,
  ], {});
  await waitFor(`coturn back on 127.0.0.1:${coturn.port}`, () => tcpOpen(coturn.port), 10_000, 50);
}

describe("porthole-agent doctor against the real local stack", () => {
  it("passes a healthy camera (exit 0) and leaves its running agent online", async () => {
    expect(await online(stack.camera.serial)).toBe(true);
    const out = await doctor();
    expect(out.exitCode, out.text).toBe(0);
    for (const id of ["dns", "edge_https", "edge_websocket", "clock", "device_token", "stun_udp", "turn_udp", "turn_tcp"]) {
      expect(out.byId[id]?.status, `${id}: ${out.byId[id]?.message}`).toBe("pass");
    }
    // The local coturn has no TLS listener, and the edge lists no turns: URL for it.
    expect(out.byId.turn_tls).toMatchObject({ status: "warn", code: "turn_not_offered" });
    expect(out.byId.nat_type?.status).not.toBe("fail");
    expect(out.text).toMatch(/^✓ Device token +The edge accepts the device token for /m);
    expectNoSecrets(out, [stack.camera.token]);
    expect(await online(stack.camera.serial)).toBe(true);
  });

  it("names a closed edge port as unreachable, and the real CLI exits 1", async () => {
    const port = await freePort();
    const out = await doctor({ edge: `http://127.0.0.1:${port}` });
    expect(out.exitCode).toBe(1);
    expect(out.byId.edge_https).toMatchObject({ status: "fail", code: "edge_unreachable" });
    expect(out.byId.edge_https!.message).toBe(`Cannot reach the edge at 127.0.0.1:${port}: connection refused (nothing listens there, or a firewall rejects it).`);
    expect(out.byId.device_token!.status).toBe("skip");

    const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, "device-agent", "src", "cli.ts"), "doctor", "--edge", `http://127.0.0.1:${port}`, "--serial", stack.camera.serial], {
      env: { ...process.env, PORTHOLE_DEVICE_TOKEN: stack.camera.token },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(cli.status, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/^✗ Edge \(HTTPS\) +Cannot reach the edge at 127\.0\.0\.1:\d+: connection refused/m);
    expect(cli.stdout).not.toContain(stack.camera.token);
  });

  it("names a host name that does not resolve as a DNS failure (exit 1)", async () => {
    const out = await doctor({ edge: "http://porthole-doctor.invalid:8787" });
    expect(out.exitCode).toBe(1);
    expect(out.byId.dns).toMatchObject({ status: "fail", code: "dns_failed" });
    expect(out.byId.dns!.message).toMatch(/^Cannot resolve the edge's name porthole-doctor\.invalid: /);
    expect(out.byId.edge_https!.status).toBe("skip");
  });

  it("names a camera clock 10 minutes ahead (exit 1) and nothing else", async () => {
    const out = await doctor({ deps: { now: () => Date.now() + 10 * 60_000 } });
    expect(out.exitCode).toBe(1);
    expect(out.byId.clock).toMatchObject({ status: "fail", code: "clock_skew" });
    expect(out.byId.clock!.message).toMatch(/^The camera's clock is 10 min ahead of the edge's\./);
    expect(out.report.checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual(["clock"]);
  });

  it("names a revoked camera (exit 1), and a token signed by a key the edge does not know", async () => {
    const vendor = { edge: stack.url, vendor: "doctor-e2e", adminToken: stack.adminToken, keyDir };
    const serial = `DOC-${Date.now().toString(36).toUpperCase()}`;
    const cam = await provisionDevice({ ...vendor, serial });
    expect((await doctor({ serial, token: cam.token })).byId.device_token?.status).toBe("pass");

    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const forged = await new SignJWT({ aud: DEVICE_TOKEN_AUDIENCE, iss: cam.vendorId, sub: serial })
      .setProtectedHeader({ alg: "ES256" }).setExpirationTime("1h").sign(privateKey);
    const unknownKey = await doctor({ serial, token: forged });
    expect(unknownKey.exitCode).toBe(1);
    expect(unknownKey.byId.device_token).toMatchObject({ status: "fail", code: "token_unknown_key" });

    const wrongSerial = await doctor({ serial: stack.camera.serial, token: cam.token });
    expect(wrongSerial.byId.device_token!.message).toBe(`The device token is for ${serial}, but this camera runs as ${stack.camera.serial}.`);

    await revokeDevice({ ...vendor, serial });
    const out = await doctor({ serial, token: cam.token });
    expect(out.exitCode).toBe(1);
    expect(out.byId.device_token).toMatchObject({ status: "fail", code: "token_revoked" });
    expect(out.byId.device_token!.message).toBe(`The camera ${serial} has been revoked by its vendor; the edge refuses it for good.`);
    expectNoSecrets(out, [cam.token]);
  });

  it('names "UDP blocked, TCP works" when coturn answers TCP only (warning, exit 0)', async () => {
    await replaceCoturn(ensureDevVars().TURN_SECRET, ["--no-udp"]);
    const out = await doctor();
    expect(out.exitCode, out.text).toBe(0);
    expect(out.byId.turn_tcp?.status).toBe("pass");
    for (const id of ["turn_udp", "stun_udp"]) {
      expect(out.byId[id]).toMatchObject({ status: "warn", code: "udp_blocked" });
      expect(out.byId[id]!.message).toMatch(/^UDP blocked, TCP works: /);
    }
  });

  it("names a wrong TURN secret when coturn's secret differs from the edge's (exit 1), printing no credential", async () => {
    await replaceCoturn(`not-the-edge-secret-${Date.now()}`, []);
    const out = await doctor();
    expect(out.exitCode).toBe(1);
    for (const id of ["turn_udp", "turn_tcp"]) {
      expect(out.byId[id]).toMatchObject({ status: "fail", code: "turn_auth_failed" });
      expect(out.byId[id]!.message).toMatch(/^Wrong TURN secret: 127\.0\.0\.1:\d+ refuses the credentials the edge minted \(401/);
    }
    expect(out.byId.stun_udp?.status).toBe("pass");
    expectNoSecrets(out, [stack.camera.token, ensureDevVars().TURN_SECRET]);
    expect(await online(stack.camera.serial)).toBe(true);
  });
});
