// Why: the app's one header — home link, the live/connecting chip, and who is signed in with
// the way out.
import type { Route } from "../lib/router.ts";
import type { Phase } from "../lib/session-state.ts";
import { LogoMark } from "./icons.tsx";
import { linkTo } from "./use-route.ts";

export interface TopBarProps {
  phase: Phase;
  email: string | null;
  /** The screen shown, so its tab in the nav is marked current. */
  route: Route;
  onSignOut(): void;
}

/** The signed-in screens one tap away: the camera list, all of them live, what they saw. */
const NAV: { route: Route; label: string; testId: string }[] = [
  { route: { name: "home" }, label: "Cameras", testId: "nav-cameras" },
  { route: { name: "multi" }, label: "Watch all", testId: "nav-multi" },
  { route: { name: "events" }, label: "Events", testId: "nav-events" },
];

export function TopBar({ phase, email, route, onSignOut }: TopBarProps) {
  const active = phase === "connecting" || phase === "live" || phase === "reconnecting";
  return (
    <header class="topbar">
      <a class="topbar__home" {...linkTo({ name: "home" })} aria-label="Porthole home">
        <LogoMark />
        <span class="topbar__name">Porthole</span>
      </a>
      {email && (
        <nav class="topbar__nav" aria-label="Screens">
          {NAV.map((n) => (
            <a key={n.testId} class="topbar__tab" data-testid={n.testId} aria-current={n.route.name === route.name ? "page" : undefined} {...linkTo(n.route)}>
              {n.label}
            </a>
          ))}
        </nav>
      )}
      <span class="screen__spacer" />
      {active && <span class={`chip chip--${phase}`}>{phase === "live" ? "Live" : phase === "reconnecting" ? "Reconnecting" : "Connecting"}</span>}
      {email && (
        <>
          <span class="topbar__user" data-testid="user-email" title={email}>{email}</span>
          <button type="button" class="btn btn--small btn--ghost" data-testid="signout-button" onClick={onSignOut}>Sign out</button>
        </>
      )}
    </header>
  );
}
