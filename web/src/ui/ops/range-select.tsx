// Why: four ranges as a row of toggle buttons — one tap, no menu to open on a phone.
import { OPS_RANGE_IDS, OPS_RANGES, type OpsRangeId } from "../../lib/ops-range.ts";

export function RangeSelect({ value, onChange }: { value: OpsRangeId; onChange(id: OpsRangeId): void }) {
  return (
    <div class="ops-range" role="group" aria-label="Time range" data-testid="ops-range">
      {OPS_RANGE_IDS.map((id) => (
        <button
          key={id}
          type="button"
          class="ops-range__btn"
          aria-pressed={id === value}
          data-testid={`ops-range-${id}`}
          onClick={() => onChange(id)}
        >
          {OPS_RANGES[id].label}
        </button>
      ))}
    </div>
  );
}
