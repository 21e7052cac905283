// Why: boots the PWA — renders the app, exposes window.__porthole, registers the service worker.
// First: no schema may be built before Zod is told not to probe eval (lib/zod-without-eval.ts).
import "./lib/zod-without-eval.ts";
import { render } from "preact";
import { installDebugHandle } from "./session/debug-handle.ts";
import { createSessionStore } from "./session/store.ts";
import { App } from "./ui/app.tsx";
import "./styles.css";

const store = createSessionStore();
installDebugHandle(store);
render(<App store={store} />, document.getElementById("app")!);

// Offline start (app shell); only in builds, so the dev server never serves stale modules.
// A first install fetches the whole shell again (a dozen requests): it waits until the page has
// been loaded SW_QUIET_MS and no session is connecting, so it never competes with the signaling
// of a camera tapped right after the app opened (seen in the NAT lab: the tap's socket queued
// behind the shell's assets at the edge).
const SW_QUIET_MS = 2000;
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  const register = () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err: unknown) => console.warn("porthole: service worker", err));
  };
  const whenQuiet = () => {
    const connecting = () => store.getState().phase === "connecting";
    if (!connecting()) return register();
    const stop = store.subscribe(() => {
      if (connecting()) return;
      stop();
      register();
    });
  };
  const afterLoad = () => void setTimeout(whenQuiet, SW_QUIET_MS);
  if (document.readyState === "complete") afterLoad();
  else addEventListener("load", afterLoad, { once: true });
}
