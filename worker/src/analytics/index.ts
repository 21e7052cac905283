// Why: the operators' analytics (issue 15 items 2–3): roll-ups, edge counters, charts, retention.
export * from "./charts.ts";
export * from "./edge-counts.ts";
export * from "./hours.ts";
export * from "./maintenance.ts";
export * from "./percentiles.ts";
export * from "./range.ts";
export * from "./retention.ts";
export * from "./report-counters.ts";
export * from "./rollup-repair.ts";
export * from "./session-rollup.ts";
export * from "./operator-session.ts";
