// Why: a router in twenty lines — the current Route from location.pathname, updated on
// back/forward (popstate) and on navigate() (pushState), so no routing library is needed.
import { useEffect, useState } from "preact/hooks";
import { parseRoute, pathFor, type Route } from "../lib/router.ts";

const CHANGE = "porthole:navigate";

/** Goes to a route. The query and fragment are dropped unless `keepQuery` (label prefill links). */
export function navigate(route: Route, opts: { replace?: boolean; keepQuery?: boolean } = {}): void {
  const url = pathFor(route) + (opts.keepQuery ? location.search + location.hash : "");
  if (url === location.pathname + location.search + location.hash) return;
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  dispatchEvent(new Event(CHANGE));
  scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname, location.search));
    addEventListener("popstate", update);
    addEventListener(CHANGE, update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** Props for an <a> that navigates in the app (a real link: middle-click and copy still work). */
export function linkTo(route: Route): { href: string; onClick(e: MouseEvent): void } {
  return {
    href: pathFor(route),
    onClick(e: MouseEvent) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(route);
    },
  };
}
