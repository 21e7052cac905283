// Why: the edge returns a path for the viewer WebSocket; the page turns it into a ws(s) URL
// on its own origin (wss under https, as mixed content is blocked) with the ticket attached —
// or, to resume a session whose socket dropped, with its session id and resume token instead.
import type { NatSide } from "../../../protocol/path-prediction.ts";
import { formatViewerNatParam, RESUME_QUERY, VIEWER_NAT_QUERY, VIEWER_VERSION_QUERY, WATCH_SOCKET_PREFIX } from "../../../protocol/viewer-edge.ts";

/** Builds the signaling URL from the page location, the edge's wsPath and the ticket. */
export function signalingUrl(pageHref: string, wsPath: string, ticket: string): string {
  const url = new URL(wsPath, pageHref);
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  url.searchParams.set("ticket", ticket);
  url.hash = "";
  return url.toString();
}

/** /ws/view/:serial?session=…&resume=… on the page's origin (ws/wss like the ticket URL). */
export function resumeUrl(pageHref: string, wsPath: string, sessionId: string, token: string): string {
  const url = new URL(signalingUrl(pageHref, wsPath, ""));
  url.searchParams.delete("ticket");
  url.searchParams.set(RESUME_QUERY.sessionId, sessionId);
  url.searchParams.set(RESUME_QUERY.token, token);
  return url.toString();
}

/**
 * /ws/watch/:serial for a signed-in viewer: the cookie is the proof, so no ticket; the viewer's
 * connection-test NAT rides along (VIEWER_NAT_QUERY) for the grant the edge makes.
 */
export function watchUrl(pageHref: string, serial: string, version: number, viewerNat?: NatSide): string {
  const url = new URL(signalingUrl(pageHref, `${WATCH_SOCKET_PREFIX}${encodeURIComponent(serial)}`, ""));
  url.searchParams.delete("ticket");
  // The upgrade is the hello (VIEWER_VERSION_QUERY): no hello frame follows on this socket.
  url.searchParams.set(VIEWER_VERSION_QUERY, String(version));
  if (viewerNat) url.searchParams.set(VIEWER_NAT_QUERY, formatViewerNatParam(viewerNat));
  return url.toString();
}
