// Why: the PWA's few screens as a typed route, read from and written to the URL path (history
// API; the edge serves index.html for every unknown path). The fragment stays free for the
// label link's `#code=` (prefill.ts), which never reaches the server.
import { SerialSchema } from "../../../protocol/ice.ts";

/** A motion event's id as the camera mints it (protocol/controls.ts MotionEventSchema.id). */
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type Route =
  /** Signed out: sign in / sign up, and watching with a label code. Signed in: my cameras. */
  | { name: "home" }
  /** Watching with serial + access code (no account needed). */
  | { name: "watch" }
  /** Claim a camera with its label. */
  | { name: "add-camera" }
  /** One camera: live view, and settings for its owner; `event` opens that motion event (a notification's tap). */
  | { name: "camera"; serial: string; event?: string }
  /** Several cameras live at once (2×2 on desktop, a column on phones). */
  | { name: "multi" }
  /** Motion events across all of the user's cameras, newest first. */
  | { name: "events" }
  /** "Test my connection": edge, WebSocket, relays, NAT type; `camera` predicts that camera's path. */
  | { name: "connection-test"; camera?: string }
  /** The operator view (fleet charts); its own sign-in with the admin token, no user account. */
  | { name: "ops" }
  | { name: "not-found"; path: string };

/**
 * The route for a URL path ("/cameras/PH-1"); the fragment is never part of it, the query only
 * for the connection test's `?camera=` and a camera page's `?event=` (a notification's tap).
 */
export function parseRoute(pathname: string, search = ""): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/cameras") return { name: "home" };
  if (path === "/test") {
    const camera = new URLSearchParams(search).get("camera")?.toUpperCase();
    return camera && SerialSchema.safeParse(camera).success ? { name: "connection-test", camera } : { name: "connection-test" };
  }
  if (path === "/watch") return { name: "watch" };
  if (path === "/multi") return { name: "multi" };
  if (path === "/events") return { name: "events" };
  if (path === "/ops") return { name: "ops" };
  if (path === "/cameras/add") return { name: "add-camera" };
  const m = /^\/cameras\/([^/]+)$/.exec(path);
  if (m?.[1]) {
    let serial: string;
    try {
      serial = decodeURIComponent(m[1]).toUpperCase();
    } catch {
      return { name: "not-found", path };
    }
    if (!SerialSchema.safeParse(serial).success) return { name: "not-found", path };
    const event = new URLSearchParams(search).get("event");
    return event && EVENT_ID.test(event) ? { name: "camera", serial, event } : { name: "camera", serial };
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
      return `/cameras/${encodeURIComponent(route.serial)}${route.event ? `?event=${encodeURIComponent(route.event)}` : ""}`;
    case "multi":
      return "/multi";
    case "events":
      return "/events";
    case "ops":
      return "/ops";
    case "connection-test":
      return route.camera ? `/test?camera=${encodeURIComponent(route.camera)}` : "/test";
    case "not-found":
      return route.path;
  }
}

/** Routes that need a signed-in user; signed-out people are sent home (the sign-in form). */
export function needsAccount(route: Route): boolean {
  return route.name === "add-camera" || route.name === "camera" || route.name === "multi" || route.name === "events";
}
