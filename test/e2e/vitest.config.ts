import { defineConfig } from "vitest/config";

// End-to-end tests start real services (wrangler dev, the agent, Chromium): one file at a time,
// generous timeouts, no retries (a flaky e2e test is a bug to fix, not to hide).
export default defineConfig({
  test: {
    name: "e2e",
    root: import.meta.dirname,
    include: ["**/*.e2e.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    retry: 0,
  },
});
