#!/usr/bin/env node
// Why: the npm bin entry. Node ≥ 22.18/24 runs the TypeScript source directly (type stripping).
import { main } from "../src/cli.ts";

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`porthole-agent: unexpected error: ${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
