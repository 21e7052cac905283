// Why: a printed demo URL (…/?serial=PH-1234#code=abcdef) opens the form ready to click.
// The access code is read only from the fragment, which browsers never send to the server,
// so it stays out of request lines and access logs (RFC 3986 §3.5).
import { SerialSchema } from "../../../protocol/ice.ts";
import { AccessCodeSchema } from "../../../protocol/http.ts";

export interface Prefill {
  serial: string | null;
  accessCode: string | null;
}

/** Serials are printed upper-case; people type them any way, with stray spaces. */
export function normalizeSerial(input: string): string {
  return input.replace(/\s+/g, "").toUpperCase();
}

export function isValidSerial(serial: string): boolean {
  return SerialSchema.safeParse(serial).success;
}

export function normalizeAccessCode(input: string): string {
  return input.trim();
}

export function isValidAccessCode(code: string): boolean {
  return AccessCodeSchema.safeParse(code).success;
}

/** Reads `?serial=` from the query (or fragment) and `#code=` from the fragment. */
export function parsePrefill(search: string, hash: string): Prefill {
  const query = new URLSearchParams(search.replace(/^\?/, ""));
  const fragment = new URLSearchParams(hash.replace(/^#/, ""));
  const serial = query.get("serial") ?? fragment.get("serial");
  const code = fragment.get("code");
  return {
    serial: serial ? normalizeSerial(serial) || null : null,
    accessCode: code ? normalizeAccessCode(code) || null : null,
  };
}
