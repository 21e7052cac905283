// Why: wrangler's own config patcher refuses TOML with comments, and ours is mostly comments; the
// deploy changes one value in place and leaves every other byte of wrangler.toml as it was.

/**
 * Returns `toml` with `database_id` of the [[d1_databases]] table whose binding is `binding` set
 * to `id`. Throws when that table or its database_id line is not found.
 */
export function recordDatabaseId(toml: string, binding: string, id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`not a D1 database id: ${id}`);
  const lines = toml.split("\n");
  let inD1 = false;
  let bindingMatches = false;
  let idLine = -1;
  const finish = (): number => (inD1 && bindingMatches ? idLine : -1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*\[/.test(line)) {
      const found = finish();
      if (found >= 0) return replaceAt(lines, found, id);
      inD1 = /^\s*\[\[\s*d1_databases\s*\]\]/.test(line);
      bindingMatches = false;
      idLine = -1;
      continue;
    }
    if (!inD1) continue;
    if (new RegExp(`^\\s*binding\\s*=\\s*["']${binding}["']`).test(line)) bindingMatches = true;
    if (/^\s*database_id\s*=/.test(line)) idLine = i;
  }
  const found = finish();
  if (found >= 0) return replaceAt(lines, found, id);
  throw new Error(`wrangler.toml has no [[d1_databases]] table with binding = "${binding}" and a database_id line`);
}

function replaceAt(lines: string[], index: number, id: string): string {
  lines[index] = (lines[index] as string).replace(/^(\s*database_id\s*=\s*)(["'])[^"']*\2/, `$1"${id}"`);
  return lines.join("\n");
}
