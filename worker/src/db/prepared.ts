// Why: drizzle builds a query's SQL from its builder on every call, which cost more CPU than
// the query itself on the session path. The hot queries are prepared once per database handle
// (db() is one per binding per isolate) with placeholders, and only bound per call.
import type { Db } from "./client.ts";

const cache = new WeakMap<Db, Map<(d: Db) => unknown, unknown>>();

/** `build(d)` once per handle: pass a module-level function so the cache key is stable. */
export function prepared<T>(d: Db, build: (d: Db) => T): T {
  let forDb = cache.get(d);
  if (!forDb) {
    forDb = new Map();
    cache.set(d, forDb);
  }
  let q = forDb.get(build) as T | undefined;
  if (q === undefined) {
    q = build(d);
    forDb.set(build, q);
  }
  return q;
}
