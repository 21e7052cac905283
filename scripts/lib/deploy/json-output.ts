// Why: wrangler's --json output can follow other lines (a warning, an update notice); the JSON is
// read from the first line that opens it, so a "[WARNING]" before it is never mistaken for it.

/** Parses the JSON document that starts at the first line beginning with `open` ("[" or "{"). */
export function jsonFromOutput(stdout: string, open: "[" | "{"): unknown {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.trimStart().startsWith(open) && !/^\s*\[[A-Z]+\]/.test(line));
  if (start < 0) return null;
  try {
    return JSON.parse(lines.slice(start).join("\n"));
  } catch {
    return null;
  }
}
