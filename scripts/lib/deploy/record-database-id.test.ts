import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../paths.ts";
import { recordDatabaseId } from "./record-database-id.ts";

const ID = "5d1c9a4e-7f1b-4a7e-9c11-0a8b9c6d2e31";

describe("recordDatabaseId", () => {
  it("changes only the DB table's database_id line of the real wrangler.toml", () => {
    const before = readFileSync(path.join(REPO_ROOT, "wrangler.toml"), "utf8");
    const after = recordDatabaseId(before, "DB", ID);
    const a = before.split("\n");
    const b = after.split("\n");
    expect(b).toHaveLength(a.length);
    expect(b.filter((line, i) => line !== a[i])).toEqual([`database_id = "${ID}"`]);
  });

  it("leaves another binding's database alone and is idempotent", () => {
    const toml = `[[d1_databases]]\nbinding = "OTHER"\ndatabase_id = "x"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "porthole"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\n`;
    const once = recordDatabaseId(toml, "DB", ID);
    expect(once).toContain(`binding = "OTHER"\ndatabase_id = "x"`);
    expect(once).toContain(`database_id = "${ID}"`);
    expect(recordDatabaseId(once, "DB", ID)).toBe(once);
  });

  it("refuses a file without the table, and a value that is not an id", () => {
    expect(() => recordDatabaseId(`name = "x"\n`, "DB", ID)).toThrow(/no \[\[d1_databases\]\]/);
    expect(() => recordDatabaseId(`[[d1_databases]]\nbinding = "DB"\ndatabase_id = ""\n`, "DB", `"; evil = "`)).toThrow(/not a D1 database id/);
  });
});
