// Why: the app's one header — home link, the live/connecting chip, and who is signed in with
// the way out.
import type { Phase } from "../lib/session-state.ts";
import { LogoMark } from "./icons.tsx";
import { linkTo } from "./use-route.ts";

export interface TopBarProps {
  phase: Phase;
  email: string | null;
  onSignOut(): void;
}

export function TopBar({ phase, email, onSignOut }: TopBarProps) {
  const active = phase === "connecting" || phase === "live" || phase === "reconnecting";
  return (
    <header class="topbar">
      <a class="topbar__home" {...linkTo({ name: "home" })} aria-label="Porthole home">
        <LogoMark />
        <span class="topbar__name">Porthole</span>
      </a>
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
