// Why: boots the PWA — renders the app, exposes window.__porthole, registers the service worker.
import { options, render } from "preact";
import { installDebugHandle } from "./session/debug-handle.ts";
import { createSessionStore } from "./session/store.ts";
import { App } from "./ui/app.tsx";
import "./styles.css";

// Renders run as a task, not a microtask (Preact's default): signaling messages that arrived
// together (session-info, welcome, offer) are each handled before the page re-renders, instead
// of each waiting for a render of the state the previous one made — ~20 ms a render on a loaded
// phone, on the time to first frame. Several state changes then share one render.
options.debounceRendering = (render) => void setTimeout(render, 0);

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
