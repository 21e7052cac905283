// Why: the lab has its own vitest project: pure unit tests (rulesets, expected paths, table)
// run anywhere; lab.test.ts builds the namespaces and needs root (it says so and fails if not).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["lab/**/*.test.ts"],
    root: new URL("..", import.meta.url).pathname,
    // The grid runs pairs one after another on shared namespaces: never in parallel.
    fileParallelism: false,
    testTimeout: 10_000,
    // Print the grid table the test logs.
    silent: false,
    hookTimeout: 60_000,
  },
});
