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
  | { name: "not-found"; path: string };

/** The route for a URL path ("/cameras/PH-1"); query and fragment are not part of it. */
export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/cameras") return { name: "home" };
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
    case "not-found":
      return route.path;
  }
}

/** Routes that need a signed-in user; signed-out people are sent home (the sign-in form). */
export function needsAccount(route: Route): boolean {
  return route.name === "add-camera" || route.name === "camera";
}
