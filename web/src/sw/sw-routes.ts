// Why: the service worker's decisions, kept pure so they are unit-tested: what it may serve
// from cache (the app shell) and what it must never touch (/api, /ws — live data and tickets).

/** Bump to drop every cached shell on the next activation. */
// v2: the 192 px and apple-touch icons were re-rendered (same URLs, cached cache-first).
export const CACHE_NAME = "porthole-shell-v2";
export const SHELL_URL = "/";
/** Fetched at install even if index.html does not link them. */
export const STATIC_SHELL = ["/", "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png", "/favicon.svg"];

export type Route = "bypass" | "navigation" | "asset";

export interface RequestLike {
  method: string;
  url: string;
  mode: string;
}

/**
 * bypass: let the network have it (non-GET, other origins, the API, signaling, the worker
 * script itself); navigation: network first, cached shell when offline; asset: cache first.
 */
export function routeFor(req: RequestLike, origin: string): Route {
  if (req.method !== "GET") return "bypass";
  const url = new URL(req.url);
  if (url.origin !== origin) return "bypass";
  const p = url.pathname;
  if (p === "/api" || p.startsWith("/api/") || p === "/ws" || p.startsWith("/ws/") || p === "/sw.js") return "bypass";
  if (req.mode === "navigate") return "navigation";
  return "asset";
}

/** Same-origin URLs the shell page loads (scripts, styles, manifest, icons), from its HTML. */
export function shellUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.matchAll(/\b(?:src|href)="(\/[^"#?]*)"/g)) {
    const u = m[1];
    if (u && !u.startsWith("//") && u !== "/") urls.add(u);
  }
  return [...urls];
}

/** Hashed build assets no longer referenced by the current shell, to prune from the cache. */
export function staleAssets(cachedPaths: string[], current: string[]): string[] {
  const keep = new Set(current);
  return cachedPaths.filter((p) => p.startsWith("/assets/") && !keep.has(p));
}
