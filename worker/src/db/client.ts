// Why: one way to get a typed drizzle handle on the D1 binding.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export type Db = DrizzleD1Database<typeof schema>;

export function db(binding: D1Database): Db {
  return drizzle(binding, { schema });
}
