// Why: operators pass the edge's HTTP origin; the device socket lives at /ws/device/:serial
// on the same host, over wss when the origin is https.

export function deviceSocketUrl(edge: string, serial: string): string {
  let url: URL;
  try {
    url = new URL(edge);
  } catch {
    throw new Error(`--edge must be a URL like http://127.0.0.1:8787, got ${JSON.stringify(edge)}`);
  }
  const scheme = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : url.protocol === "http:" || url.protocol === "ws:" ? "ws:" : undefined;
  if (!scheme) throw new Error(`--edge must use http(s) or ws(s), got ${url.protocol}`);
  const base = url.pathname.replace(/\/+$/, "");
  return `${scheme}//${url.host}${base}/ws/device/${encodeURIComponent(serial)}`;
}

/** True when the edge is on this machine, so loopback ICE candidates are useful. */
export function isLoopbackEdge(edge: string): boolean {
  try {
    const h = new URL(edge).hostname;
    return h === "127.0.0.1" || h === "localhost" || h === "[::1]" || h === "::1";
  } catch {
    return false;
  }
}
