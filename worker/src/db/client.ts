// Why: one way to get a typed drizzle handle on the D1 binding. Building one walks the whole
// schema (relations config), so it is built once per binding per isolate, not per request.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

/** With the D1 binding itself (`$client`), for the few statements written in SQL (db/auth-failures.ts). */
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

const handles = new WeakMap<D1Database, Db>();

export function db(binding: D1Database): Db {
  let d = handles.get(binding);
  if (!d) {
    d = drizzle<typeof schema, D1Database>(binding, { schema });
    handles.set(binding, d);
  }
  return d;
}
