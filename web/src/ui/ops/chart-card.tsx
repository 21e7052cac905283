// Why: every operator chart sits in the same card — a title, a line on what it counts, and a
// plain link to the same figures as JSON for other tools (the operator cookie authorizes it).
import type { ComponentChildren } from "preact";

export interface ChartCardProps {
  title: string;
  note?: string;
  /** GET route with the page's ?from&to. */
  json: string;
  testId: string;
  wide?: boolean;
  children: ComponentChildren;
}

export function ChartCard({ title, note, json, testId, wide, children }: ChartCardProps) {
  return (
    <section class={`ops-card${wide ? " ops-card--wide" : ""}`} data-testid={testId} aria-label={title}>
      <header class="ops-card__head">
        <h2 class="ops-card__title">{title}</h2>
        <a class="ops-card__json" href={json} target="_blank" rel="noopener" data-testid={`${testId}-json`}>
          JSON
        </a>
      </header>
      {note && <p class="ops-card__note">{note}</p>}
      {children}
    </section>
  );
}

/** What a chart shows when the range has nothing for it. */
export function EmptyChart({ text }: { text: string }) {
  return <p class="ops-empty">{text}</p>;
}
