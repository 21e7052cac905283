// Why: "Copy report" gives a support desk the test's findings without anything that identifies
// the person or lets anyone use the relay: addresses are cut to their first half, and the report
// is built from the result's fields — never from raw SDP, URLs with credentials, or tokens — and
// then every address-looking token in the finished text is cut again, as a second guard.

/** 203.0.113.7 → 203.0.x.x; 2001:db8:1:2::5 → 2001:db8:…; anything else unchanged. */
export function redactAddress(address: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.x.x`;
  if (address.includes(":") && /^[0-9a-fA-F:.]+$/.test(address)) {
    const groups = address.split(":").filter((g) => g !== "");
    return `${groups.slice(0, 2).join(":")}:…`;
  }
  return address;
}

const V4_IN_TEXT = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
// Two or more hex groups with colons, at least one "::" or 3+ colons: an IPv6 address.
const V6_IN_TEXT = /(?<![\w:])(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}(?:::[0-9a-fA-F:]*)?(?![\w:])|(?<![\w:])[0-9a-fA-F]{1,4}::(?:[0-9a-fA-F]{1,4}:?)*(?![\w:])/g;

/** Cuts every IPv4 / IPv6 address in a text to its first half (redactAddress). */
export function redactText(text: string): string {
  return text.replace(V4_IN_TEXT, (_m, a: string, b: string) => `${a}.${b}.x.x`).replace(V6_IN_TEXT, (m) => (m.split(":").length >= 3 ? redactAddress(m) : m));
}

/**
 * A short fingerprint of the public address (SHA-256, first 8 hex digits): enough to tell "the
 * same network as last time" apart, not to recover the address from (salted with the origin).
 */
export async function addressFingerprint(address: string, salt: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}|${address}`));
  return [...new Uint8Array(digest).slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
