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
// Registered after load so it never competes with the first connection; if load has already
// fired (the module ran late), register at once.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  const register = () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err: unknown) => console.warn("porthole: service worker", err));
  };
  if (document.readyState === "complete") register();
  else addEventListener("load", register, { once: true });
}
