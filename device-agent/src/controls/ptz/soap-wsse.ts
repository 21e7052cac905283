// Why: ONVIF cameras authenticate SOAP calls with a WS-Security UsernameToken carrying a
// password digest (ONVIF Core §5.12.2; OASIS WSS UsernameToken Profile 1.0 §3.1):
// PasswordDigest = Base64(SHA-1(nonce + created + password)), so the password never travels.
// Pure functions: the nonce and the clock come from the caller.
import { createHash } from "node:crypto";
import { escapeXml } from "./xml-extract.ts";

const WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const PASSWORD_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/** xsd:dateTime in UTC without milliseconds, the form ONVIF's examples use ("2010-09-16T07:50:45Z"). */
export function wsseTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Base64(SHA-1(nonce bytes ‖ UTF-8 created ‖ UTF-8 password)). */
export function passwordDigest(nonce: Uint8Array, created: string, password: string): string {
  return createHash("sha1").update(nonce).update(created, "utf8").update(password, "utf8").digest("base64");
}

/** The <wsse:Security> header for one request. A fresh nonce per request defeats replay (WSS §3.1). */
export function usernameTokenHeader(username: string, password: string, created: Date, nonce: Uint8Array): string {
  const c = wsseTimestamp(created);
  return (
    `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}">` +
    `<wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST}">${passwordDigest(nonce, c, password)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${Buffer.from(nonce).toString("base64")}</wsse:Nonce>` +
    `<wsu:Created>${c}</wsu:Created>` +
    `</wsse:UsernameToken></wsse:Security>`
  );
}
