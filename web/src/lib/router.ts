// Why: the PWA's few screens as a typed route, read from and written to the URL path (history
// API; the edge serves index.html for every unknown path). The fragment stays free for the
// label link's `#code=` (prefill.ts), which never reaches the server.
import { SerialSchema } from "../../../protocol/ice.ts";

export type Route =
  /** Signed out: sign in / sign up, and watching with a label code. Signed in: my cameras. */
  | { name: "home" }
  /** Watching with serial + access code (no account needed). */
  | { name: "watch" }
  /** Claim a camera with its label. */
  | { name: "add-camera" }
  /** One camera: live view, and settings for its owner. */
  | { name: "camera"; serial: string }
  /** "Test my connection": edge, WebSocket, relays, NAT type; `camera` predicts that camera's path. */
  | { name: "connection-test"; camera?: string }
  | { name: "not-found"; path: string };

/**
 * The route for a URL path ("/cameras/PH-1"); the fragment is never part of it, the query only
 * for the connection test's `?camera=`.
 */
export function parseRoute(pathname: string, search = ""): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/cameras") return { name: "home" };
  if (path === "/test") {
    const camera = new URLSearchParams(search).get("camera")?.toUpperCase();
    return camera && SerialSchema.safeParse(camera).success ? { name: "connection-test", camera } : { name: "connection-test" };
  }
  if (path === "/watch") return { name: "watch" };
  if (path === "/cameras/add") return { name: "add-camera" };
  const m = /^\/cameras\/([^/]+)$/.exec(path);
  if (m?.[1]) {
    let serial: string;
    try {
      serial = decodeURIComponent(m[1]).toUpperCase();
    } catch {
      return { name: "not-found", path };
    }
    if (SerialSchema.safeParse(serial).success) return { name: "camera", serial };
  }
  return { name: "not-found", path };
}

/** The URL path of a route. */
export function pathFor(route: Route): string {
  switch (route.name) {
    case "home":
      return "/";
    case "watch":
      return "/watch";
    case "add-camera":
      return "/cameras/add";
    case "camera":
      return `/cameras/${encodeURIComponent(route.serial)}`;
    case "connection-test":
      return route.camera ? `/test?camera=${encodeURIComponent(route.camera)}` : "/test";
    case "not-found":
      return route.path;
  }
}

/** Routes that need a signed-in user; signed-out people are sent home (the sign-in form). */
export function needsAccount(route: Route): boolean {
  return route.name === "add-camera" || route.name === "camera";
}
