// Test-only bindings set in vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}

// Vite's `?raw` import (a file's text), e.g. wrangler.toml for a limit the tests must match.
declare module "*?raw" {
  const text: string;
  export default text;
}
