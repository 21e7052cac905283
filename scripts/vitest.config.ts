import { defineConfig } from "vitest/config";

// Tests of the repo's own scripts (npm run deploy): Node, no workerd.
export default defineConfig({
  test: {
    name: "scripts",
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
