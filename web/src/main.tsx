// Why: boots the PWA — renders the app, exposes window.__porthole, registers the service worker.
import { render } from "preact";
import { installDebugHandle } from "./session/debug-handle.ts";
import { createSessionStore } from "./session/store.ts";
import { App } from "./ui/app.tsx";
import "./styles.css";

const store = createSessionStore();
installDebugHandle(store);
render(<App store={store} />, document.getElementById("app")!);

// Offline start (app shell); only in builds, so the dev server never serves stale modules.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err: unknown) => console.warn("porthole: service worker", err));
  });
}
