// Why: several cameras live at once — up to four tiles, each its own session at SD (2×2 on
// desktop, a column on phones); a tap opens one camera's page.
import type { Camera } from "../../../protocol/accounts.ts";
import type { UiError } from "../lib/session-state.ts";
import { FormError } from "./form-error.tsx";

export interface MultiViewProps {
  cameras: Camera[] | null;
  error: UiError | null;
}

export function MultiView({ cameras, error }: MultiViewProps) {
  return (
    <main class="page" data-testid="multi-view">
      <h1 class="page__title">All cameras</h1>
      <FormError error={error} />
      {cameras === null && !error && <p class="muted">Loading your cameras…</p>}
    </main>
  );
}
