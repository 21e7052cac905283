// Why: what happened, across every camera — motion events newest first with their pictures,
// time and camera; a tap opens that camera at that moment.
import type { Camera } from "../../../protocol/accounts.ts";
import type { UiError } from "../lib/session-state.ts";
import { FormError } from "./form-error.tsx";

export interface EventsPageProps {
  cameras: Camera[] | null;
  error: UiError | null;
}

export function EventsPage({ cameras, error }: EventsPageProps) {
  return (
    <main class="page" data-testid="events-page">
      <h1 class="page__title">Events</h1>
      <FormError error={error} />
      {cameras === null && !error && <p class="muted">Loading your cameras…</p>}
    </main>
  );
}
