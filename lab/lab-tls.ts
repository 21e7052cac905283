// Why: strict networks pass only TCP 443, so the lab's coturn must answer TURN over TLS there
// (turns:, RFC 8656 §3.1) with a certificate the camera and the browser accept. Each run mints a
// throwaway CA and a leaf for the server's address with openssl (Debian's openssl, always present
// where coturn is): the agent trusts the CA through NODE_EXTRA_CA_CERTS, Chromium the leaf's key
// through --ignore-certificate-errors-spki-list. Nothing of it outlives the run's scratch dir.
import { spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface LabTls {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the leaf's SubjectPublicKeyInfo (Chromium's SPKI allow-list format). */
  leafSpkiSha256: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8", timeout: 20_000 });
  if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? r.stderr}`);
}

/** A CA and a leaf certificate for `ip` (subjectAltName IP), valid for a day. */
export function mintLabTls(dir: string, ip: string): LabTls {
  mkdirSync(dir, { recursive: true });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Porthole NAT lab CA"], dir);
  openssl(["req", ...ec, "-keyout", "turn.key", "-out", "turn.csr", "-subj", `/CN=${ip}`], dir);
  writeFileSync(path.join(dir, "turn.ext"), `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`);
  openssl(["x509", "-req", "-in", "turn.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "turn.pem", "-days", "1", "-extfile", "turn.ext"], dir);
  const leaf = new X509Certificate(readFileSync(path.join(dir, "turn.pem")));
  const spki = leaf.publicKey.export({ type: "spki", format: "der" });
  return {
    caFile: path.join(dir, "ca.pem"),
    certFile: path.join(dir, "turn.pem"),
    keyFile: path.join(dir, "turn.key"),
    leafSpkiSha256: createHash("sha256").update(spki).digest("base64"),
  };
}

/** Chromium flags that make it accept the lab coturn's TLS certificate (turns: on 443). */
export function labChromiumArgs(lab: { tls: LabTls }): string[] {
  return [`--ignore-certificate-errors-spki-list=${lab.tls.leafSpkiSha256}`];
}
