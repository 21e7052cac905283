// Why: a chart's colours named once, next to it (colour alone is not a label).
export function Legend({ items }: { items: readonly { key: string; label: string; color: string }[] }) {
  return (
    <ul class="ops-legend">
      {items.map((i) => (
        <li key={i.key}>
          <span class="ops-legend__swatch" style={{ background: i.color }} aria-hidden="true" />
          {i.label}
        </li>
      ))}
    </ul>
  );
}
