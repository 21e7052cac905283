// Why: the hand-written service worker — the app shell opens offline and installs as a PWA;
// API calls and signaling always go to the network. Built to /sw.js (see vite.config.ts).
// Service Worker types come from the WebWorker lib, which cannot share a program with DOM;
// the few members used here are declared locally instead.
import { CACHE_NAME, SHELL_URL, STATIC_SHELL, routeFor, shellUrls, staleAssets } from "./sw-routes.ts";

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: "install" | "activate", l: (e: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", l: (e: FetchEvent) => void): void;
}
const sw = self as unknown as ServiceWorkerScope;

/** Caches the shell page and everything it links (hashed scripts and styles). */
async function cacheShell(cache: Cache, shell: Response): Promise<void> {
  const html = await shell.clone().text();
  const urls = shellUrls(html);
  await cache.put(SHELL_URL, shell);
  await Promise.all(urls.map(async (u) => {
    if (!(await cache.match(u))) await cache.add(u).catch(() => undefined);
  }));
  const cached = (await cache.keys()).map((r) => new URL(r.url).pathname);
  await Promise.all(staleAssets(cached, urls).map((p) => cache.delete(p)));
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      await Promise.all(STATIC_SHELL.filter((u) => u !== SHELL_URL).map((u) => cache.add(u).catch(() => undefined)));
      const shell = await fetch(SHELL_URL, { cache: "no-cache" });
      if (shell.ok) await cacheShell(cache, shell);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith("porthole-") && name !== CACHE_NAME) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("fetch", (event) => {
  const req = event.request;
  const route = routeFor(req, sw.location.origin);
  if (route === "bypass") return;
  if (route === "navigation") {
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          if (res.ok && (res.headers.get("content-type") ?? "").includes("text/html")) {
            const copy = res.clone();
            event.waitUntil(caches.open(CACHE_NAME).then((c) => cacheShell(c, copy)));
          }
          return res;
        } catch {
          return (await caches.match(SHELL_URL)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const hit = await caches.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok && res.type === "basic") {
        const copy = res.clone();
        event.waitUntil(caches.open(CACHE_NAME).then((c) => c.put(req, copy)));
      }
      return res;
    })(),
  );
});
