// Why: many cameras (newer Hikvision/Dahua firmware, ONVIF Core §5.12.1 "HTTP digest") refuse a
// WS-Security token and answer 401 with a Digest challenge instead. This is the client side of
// HTTP Digest (RFC 7616, compatible with RFC 2617 servers): challenge parsing (RFC 9110 §11.6.1)
// and the Authorization header. Pure: the cnonce and counter come from the caller.
import { createHash } from "node:crypto";

export interface AuthChallenge {
  /** Lower-cased scheme, e.g. "digest". */
  scheme: string;
  /** Parameters with lower-cased names, values unquoted. */
  params: Record<string, string>;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/** Parses a WWW-Authenticate value, which may hold several challenges (fetch joins repeated headers with ", "). */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const n = Math.min(header.length, 8192);
  const skip = (chars: RegExp): void => {
    while (i < n && chars.test(header[i] as string)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TCHAR.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skip(/[\s,]/);
    const word = token();
    if (word === "") {
      i++; // not a token character: skip it rather than loop forever
      continue;
    }
    skip(/[ \t]/);
    const current = out[out.length - 1];
    if (header[i] === "=" && current) {
      i++;
      skip(/[ \t]/);
      let value = "";
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === "\\" && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        value = token();
      }
      current.params[word.toLowerCase()] = value;
    } else {
      out.push({ scheme: word.toLowerCase(), params: Object.create(null) as Record<string, string> });
    }
  }
  return out;
}

type Algo = "MD5" | "MD5-sess" | "SHA-256" | "SHA-256-sess";
const ALGOS: Record<string, Algo> = { md5: "MD5", "md5-sess": "MD5-sess", "sha-256": "SHA-256", "sha-256-sess": "SHA-256-sess" };

function algorithmOf(c: AuthChallenge): Algo | undefined {
  return ALGOS[(c.params.algorithm ?? "MD5").toLowerCase()];
}

function qopOf(c: AuthChallenge): "auth" | "none" | undefined {
  if (c.params.qop === undefined) return "none"; // RFC 2069 servers
  return c.params.qop.split(",").some((q) => q.trim().toLowerCase() === "auth") ? "auth" : undefined; // auth-int not offered by us
}

/** The Digest challenge to answer: one we can compute, SHA-256 preferred over MD5 (RFC 7616 §3.7). */
export function pickDigestChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  const usable = challenges.filter((c) => c.scheme === "digest" && c.params.nonce && algorithmOf(c) && qopOf(c));
  return usable.find((c) => algorithmOf(c)?.startsWith("SHA-256")) ?? usable[0];
}

const quote = (s: string): string => `"${s.replace(/["\\]/g, "\\$&")}"`;

/** The Authorization header value answering `challenge` (RFC 7616 §3.4). */
export function digestAuthorization(o: {
  challenge: AuthChallenge;
  username: string;
  password: string;
  method: string;
  /** The request-target, e.g. "/onvif/PTZ". */
  uri: string;
  /** Nonce count, 1 for the first request with this nonce. */
  nc: number;
  cnonce: string;
}): string {
  const algo = algorithmOf(o.challenge);
  const qop = qopOf(o.challenge);
  if (!algo || !qop) throw new Error(`unsupported digest challenge (algorithm ${o.challenge.params.algorithm}, qop ${o.challenge.params.qop})`);
  const hashName = algo.startsWith("SHA-256") ? "sha256" : "md5";
  const H = (s: string): string => createHash(hashName).update(s, "utf8").digest("hex");
  const realm = o.challenge.params.realm ?? "";
  const nonce = o.challenge.params.nonce ?? "";
  const nc = o.nc.toString(16).padStart(8, "0");
  let ha1 = H(`${o.username}:${realm}:${o.password}`);
  if (algo.endsWith("-sess")) ha1 = H(`${ha1}:${nonce}:${o.cnonce}`);
  const ha2 = H(`${o.method}:${o.uri}`);
  const response = qop === "auth" ? H(`${ha1}:${nonce}:${nc}:${o.cnonce}:auth:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);
  const parts = [
    `username=${quote(o.username)}`,
    `realm=${quote(realm)}`,
    `uri=${quote(o.uri)}`,
    `algorithm=${algo}`,
    `nonce=${quote(nonce)}`,
    ...(qop === "auth" ? [`nc=${nc}`, `cnonce=${quote(o.cnonce)}`, `qop=auth`] : []),
    `response=${quote(response)}`,
    ...(o.challenge.params.opaque !== undefined ? [`opaque=${quote(o.challenge.params.opaque)}`] : []),
  ];
  return `Digest ${parts.join(", ")}`;
}
