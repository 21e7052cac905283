// Why: the hono app's typed context: bindings from `wrangler types`, per-request variables
// set by middleware.
import type { Db } from "./db/client.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: { db: Db };
}
