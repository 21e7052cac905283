// Why: the hand-written service worker — the app shell opens offline and installs as a PWA;
// API calls and signaling always go to the network; a push (RFC 8030, decrypted by the browser
// per RFC 8291) becomes a notification even when no tab is open. Built to /sw.js (vite.config.ts).
// Service Worker types come from the WebWorker lib, which cannot share a program with DOM;
// the few members used here are declared locally instead.
import { clickTarget, notificationFor } from "./push-notification.ts";
import { CACHE_NAME, SHELL_URL, STATIC_SHELL, routeFor, shellUrls, staleAssets } from "./sw-routes.ts";

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  notification: Notification;
}
interface WindowClient {
  url: string;
  focus(): Promise<WindowClient>;
  navigate(url: string): Promise<WindowClient | null>;
}
interface ServiceWorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; matchAll(o: { type: "window"; includeUncontrolled: boolean }): Promise<WindowClient[]>; openWindow(url: string): Promise<WindowClient | null> };
  registration: { showNotification(title: string, options: NotificationOptions & { timestamp?: number }): Promise<void> };
  addEventListener(type: "install" | "activate", l: (e: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", l: (e: FetchEvent) => void): void;
  addEventListener(type: "push", l: (e: PushEvent) => void): void;
  addEventListener(type: "notificationclick", l: (e: NotificationEvent) => void): void;
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

// A push must show a notification (userVisibleOnly): browsers penalise a worker that shows none.
sw.addEventListener("push", (event) => {
  let text: string | null = null;
  try {
    text = event.data?.text() ?? null;
  } catch {
    text = null;
  }
  const { title, options } = notificationFor(text);
  event.waitUntil(sw.registration.showNotification(title, options));
});

// A tap opens the camera's page at the event: an open Porthole tab is reused, else a new one.
sw.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = clickTarget(event.notification.data, sw.location.origin);
  event.waitUntil(
    (async () => {
      const tabs = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
      const tab = tabs.find((c) => new URL(c.url).origin === sw.location.origin);
      if (tab) {
        const moved = await tab.navigate(url).catch(() => null);
        await (moved ?? tab).focus();
        return;
      }
      await sw.clients.openWindow(url);
    })(),
  );
});
