// Why: the PWA may tell a viewer "you share the camera's public address" (then LAN or hairpin
// paths matter), but the edge must not keep people's addresses. It keeps a keyed hash instead:
// equal networks give equal tags, and without the edge's key a tag reveals nothing and cannot
// be matched against a list of addresses.
//
// The key is derived (HKDF-SHA256, RFC 5869) from EDGE_SIGNING_JWK's private scalar rather than
// a dedicated secret: that secret already exists on every deployment (wrangler refuses to start
// without it), so no deploy step is added, and HKDF's `info` separates the two uses — the tag
// key says nothing about the signing key. Rotating the signing key changes every tag, which is
// fine: tags are compared between a camera's latest connection and a viewer's request now.

/** What counts as "the same network": an IPv4 address, or an IPv6 /64 (RFC 4291 §2.5.4: the
 * interface identifier is the low 64 bits, so one home's devices share the prefix, not the address). */
export function networkOf(ip: string): string | null {
  const v4 = parseIpv4(ip);
  if (v4) return `v4:${v4}`;
  const v6 = parseIpv6(ip);
  if (!v6) return null;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) is the IPv4 address.
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return `v4:${v6[6]! >> 8}.${v6[6]! & 255}.${v6[7]! >> 8}.${v6[7]! & 255}`;
  }
  return `v6:${v6.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

function parseIpv4(ip: string): string | null {
  const parts = ip.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number).join(".");
}

/** Eight 16-bit groups, or null (zone ids and brackets are refused). */
function parseIpv6(ip: string): number[] | null {
  const text = ip.toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(text) || !text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    const items = part.split(":");
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item.includes(".")) {
        // A trailing dotted quad (RFC 4291 §2.2 form 3).
        const v4 = i === items.length - 1 ? parseIpv4(item) : null;
        if (!v4) return null;
        const b = v4.split(".").map(Number);
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(item)) out.push(parseInt(item, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - tail.length;
  return fill >= 1 ? [...head, ...new Array<number>(fill).fill(0), ...tail] : null;
}

const TAG_INFO = new TextEncoder().encode("porthole network-tag v1");
let keyCache: { jwk: string; key: Promise<CryptoKey> } | undefined;

function tagKey(edgeSigningJwk: string): Promise<CryptoKey> {
  if (keyCache?.jwk === edgeSigningJwk) return keyCache.key;
  const key = (async () => {
    const d = (JSON.parse(edgeSigningJwk) as { d?: unknown }).d;
    if (typeof d !== "string" || d.length < 16) throw new Error("EDGE_SIGNING_JWK has no private member d");
    const ikm = await crypto.subtle.importKey("raw", new TextEncoder().encode(d), "HKDF", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: TAG_INFO },
      ikm,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign"],
    );
  })();
  keyCache = { jwk: edgeSigningJwk, key };
  return key;
}

/**
 * The network tag of a public address as the edge saw it (CF-Connecting-IP): 22 base64url
 * characters (128 bits of HMAC-SHA256 over networkOf(ip)), or null for an address it cannot
 * parse. Compare tags for equality only.
 */
export async function networkTag(env: { EDGE_SIGNING_JWK: string }, ip: string): Promise<string | null> {
  const network = networkOf(ip.trim());
  if (!network) return null;
  const mac = await crypto.subtle.sign("HMAC", await tagKey(env.EDGE_SIGNING_JWK), new TextEncoder().encode(network));
  return base64url(new Uint8Array(mac).slice(0, 16));
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
