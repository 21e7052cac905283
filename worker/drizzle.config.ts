// Why: drizzle-kit turns worker/src/db/schema.ts into the SQL files in migrations/, which
// `wrangler d1 migrations apply` (and the workerd tests) run as they are.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/src/db/schema.ts",
  out: "./migrations",
});
