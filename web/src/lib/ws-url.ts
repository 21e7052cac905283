// Why: the edge returns a path for the viewer WebSocket; the page turns it into a ws(s) URL
// on its own origin (wss under https, as mixed content is blocked) with the ticket attached.

/** Builds the signaling URL from the page location, the edge's wsPath and the ticket. */
export function signalingUrl(pageHref: string, wsPath: string, ticket: string): string {
  const url = new URL(wsPath, pageHref);
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  url.searchParams.set("ticket", ticket);
  url.hash = "";
  return url.toString();
}
