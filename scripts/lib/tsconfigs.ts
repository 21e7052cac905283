// Why: one list of every tsconfig, so `npm run check` and `npm test` typecheck the same set.
export const TSCONFIGS = [
  "tsconfig.json", // protocol/ (runtime-neutral)
  "worker/tsconfig.json", // Workers types, no DOM
  "web/tsconfig.json", // DOM
  "device-agent/tsconfig.json", // Node
  "scripts/tsconfig.json", // Node: scripts/, bench/, test/e2e/, lab/
];
