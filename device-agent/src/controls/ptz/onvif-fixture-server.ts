// Why: tests drive the ONVIF driver over real HTTP against a stand-in camera: a node:http server
// on 127.0.0.1 that answers each SOAP action with the recorded-shape fixture for one camera
// (fixtures/onvif/<model>/<Action>.xml), checks credentials the way cameras do (WS-Security
// PasswordDigest with a Created window, or HTTP Digest after a 401), and records every request.
// The auth checks are written here from the specs on purpose, not imported from the driver, so a
// driver bug cannot pass its own test.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const FIXTURES_DIR = path.join(import.meta.dirname, "fixtures", "onvif");

export interface RecordedRequest {
  /** Operation name from the SOAP action, e.g. "ContinuousMove". */
  op: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** What the camera made of the credentials. */
  auth: "none" | "wsse-ok" | "wsse-bad" | "digest-ok" | "digest-bad" | "digest-challenged" | "digest-stale";
  status: number;
}

export interface FixtureCameraOptions {
  /** Folder name under fixtures/onvif. */
  model: string;
  /** How the camera authenticates: WS-Security UsernameToken, or HTTP Digest only. */
  auth: "wsse" | "digest" | "none";
  username?: string;
  password?: string;
  /** The camera's clock (default: the real clock). */
  clock?: () => Date;
  /** Accepted |Created − camera clock| for a UsernameToken (default 5 s). */
  windowSeconds?: number;
  /** Operations the camera never answers (for timeouts). */
  hang?: string[];
  /** HTTP Digest: the nonce goes stale after this many accepted requests (RFC 7616 §3.3 stale=true). */
  nonceUses?: number;
  /** Answer an operation with another camera's fixture: { GetProfiles: "<model>/GetProfiles.xml" }. */
  override?: Record<string, string>;
  /** Listen on this port (default: any free one), e.g. to bring a camera back where it was. */
  port?: number;
}

export interface FixtureCamera {
  /** http://127.0.0.1:<port>/onvif/device_service */
  url: string;
  requests: RecordedRequest[];
  ops(): string[];
  close(): Promise<void>;
}

const PRE_AUTH = new Set(["GetSystemDateAndTime"]); // ONVIF Core §5.9.4 access class PRE_AUTH

export async function startFixtureCamera(o: FixtureCameraOptions): Promise<FixtureCamera> {
  const dir = path.join(FIXTURES_DIR, o.model);
  if (!existsSync(dir)) throw new Error(`no fixtures for ${o.model} in ${FIXTURES_DIR}`);
  const clock = o.clock ?? (() => new Date());
  const window = (o.windowSeconds ?? 5) * 1000;
  const requests: RecordedRequest[] = [];
  const seenNonces = new Set<string>();
  const realm = "Login to 4L0A5B2PAZ12345";
  let digestNonce = randomBytes(16).toString("hex");
  let nonceUses = 0;

  const file = (name: string): string | undefined => {
    const p = path.join(dir, name);
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  };

  const checkWsse = (body: string): boolean => {
    const pick = (tag: string): string | undefined => new RegExp(`<(?:\\w+:)?${tag}\\b[^>]*>([^<]*)</(?:\\w+:)?${tag}>`).exec(body)?.[1];
    const user = pick("Username");
    const digest = pick("Password");
    const nonce = pick("Nonce");
    const created = pick("Created");
    if (!user || !digest || !nonce || !created) return false;
    if (!/Type="[^"]*#PasswordDigest"/.test(body)) return false;
    const expected = createHash("sha1").update(Buffer.from(nonce, "base64")).update(created).update(o.password ?? "").digest("base64");
    if (user !== o.username || digest !== expected) return false;
    if (Math.abs(Date.parse(created) - clock().getTime()) > window) return false;
    if (seenNonces.has(nonce)) return false; // replay (WSS UsernameToken Profile §3.1)
    seenNonces.add(nonce);
    return true;
  };

  const checkDigest = (header: string | undefined, method: string, uri: string): boolean => {
    if (!header?.startsWith("Digest ")) return false;
    const p: Record<string, string> = {};
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) p[m[1] as string] = m[2] ?? m[3] ?? "";
    if (p.username !== o.username || p.realm !== realm || p.nonce !== digestNonce || p.uri !== uri || p.qop !== "auth") return false;
    const md5 = (s: string): string => createHash("md5").update(s).digest("hex");
    const ha1 = md5(`${o.username}:${realm}:${o.password}`);
    const ha2 = md5(`${method}:${uri}`);
    return p.response === md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
  };

  const reply = (res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "content-type": "application/soap+xml; charset=utf-8", ...headers });
    res.end(xml);
  };

  /** A fault fixture is sent with the SOAP 1.2 HTTP binding's status: Sender 400, Receiver 500. */
  const statusOf = (xml: string): number => (/<(?:[\w-]+:)?Fault\b/.test(xml) ? (/Receiver</.test(xml) ? 500 : 400) : 200);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const action = /action="([^"]+)"/.exec(req.headers["content-type"] ?? "")?.[1];
      const op = action ? action.slice(action.lastIndexOf("/") + 1) : (/<(?:\w+:)?Body>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? "?");
      const rec: RecordedRequest = { op, path: req.url ?? "", headers: req.headers, body, auth: "none", status: 0 };
      requests.push(rec);
      const send = (status: number, xml: string, headers?: Record<string, string>): void => {
        rec.status = status;
        reply(res, status, xml, headers);
      };

      if (o.hang?.includes(op)) return; // never answer
      if (!PRE_AUTH.has(op) && o.auth === "wsse") {
        rec.auth = checkWsse(body) ? "wsse-ok" : "wsse-bad";
        if (rec.auth === "wsse-bad") return send(400, file("fault-NotAuthorized.xml") ?? "");
      }
      if (!PRE_AUTH.has(op) && o.auth === "digest") {
        const stale = o.nonceUses !== undefined && nonceUses >= o.nonceUses;
        if (!req.headers.authorization) rec.auth = "digest-challenged";
        else if (stale) rec.auth = "digest-stale";
        else rec.auth = checkDigest(req.headers.authorization, req.method ?? "", req.url ?? "") ? "digest-ok" : "digest-bad";
        if (rec.auth !== "digest-ok") {
          digestNonce = randomBytes(16).toString("hex");
          nonceUses = 0;
          return send(401, file("fault-NotAuthorized.xml") ?? "", {
            "www-authenticate": `Digest realm="${realm}", qop="auth", nonce="${digestNonce}", opaque="", algorithm=MD5, stale="${stale ? "TRUE" : "FALSE"}"`,
          });
        }
        nonceUses++;
      }
      // An unknown preset token gets the camera's NoToken fault (PTZ spec: GotoPreset, RemovePreset).
      if (op === "GotoPreset" || op === "RemovePreset") {
        const wanted = /<(?:\w+:)?PresetToken>([^<]*)</.exec(body)?.[1];
        const known = [...(file("GetPresets.xml") ?? "").matchAll(/token="([^"]*)"/g)].map((m) => m[1]);
        const noToken = file("fault-NoToken.xml");
        if (noToken && !known.includes(wanted)) return send(400, noToken);
      }
      const other = o.override?.[op];
      const xml = other ? readFileSync(path.join(FIXTURES_DIR, other), "utf8") : (file(`${op}.xml`) ?? file("fault-ActionNotSupported.xml"));
      if (!xml) return send(400, genericActionNotSupported(op));
      send(statusOf(xml), xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/onvif/device_service`,
    requests,
    ops: () => requests.map((r) => r.op),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a camera without this operation's fixture answers (ONVIF Core §5.11.2.1 generic fault). */
function genericActionNotSupported(op: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">` +
    `<env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code>` +
    `<env:Reason><env:Text xml:lang="en">Optional Action ${op} not implemented</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`
  );
}
