// Why: device-agent tests run in plain Node (real UDP, real werift, real ws) — no workerd.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "device-agent",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // WebRTC loopback tests bind real sockets; keep files in one process pool but isolated.
    pool: "forks",
  },
});
