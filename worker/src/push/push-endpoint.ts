// Why: the edge will POST to whatever endpoint a browser hands it (RFC 8030 §5), so the URL is
// checked before it is stored: https only (RFC 8030 §8 requires TLS to the push service), no
// credentials, bounded length. Plain http is allowed for one loopback origin named by
// PUSH_TEST_ORIGIN, so the local stand-in push service (test/e2e/support/push-service.ts) works.
import { PUSH_ENDPOINT_MAX } from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The endpoint as a URL, or push_endpoint_invalid. */
export function checkPushEndpoint(endpoint: string, env: { PUSH_TEST_ORIGIN?: string } = {}): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PortholeError("push_endpoint_invalid", "The endpoint is not a URL.");
  }
  if (endpoint.length > PUSH_ENDPOINT_MAX) throw new PortholeError("push_endpoint_invalid", `The endpoint is longer than ${PUSH_ENDPOINT_MAX} characters.`);
  if (url.username || url.password) throw new PortholeError("push_endpoint_invalid", "The endpoint carries credentials.");
  const testOrigin = env.PUSH_TEST_ORIGIN?.trim();
  if (url.protocol === "http:" && testOrigin && url.origin === testOrigin && LOOPBACK.has(url.hostname)) return url;
  if (url.protocol !== "https:") throw new PortholeError("push_endpoint_invalid", "The endpoint must be an https URL.");
  return url;
}
