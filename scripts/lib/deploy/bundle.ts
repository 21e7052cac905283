// Why: what would be uploaded is measured before anything is: the Worker bundle's size against the
// Workers limit, and one content tag over bundle, assets and config that tells an edge already
// running this exact build from one that is not.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { AssetFile, BundleSize } from "./limits.ts";

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name)).split(path.sep).join("/")]))
    .sort();
}

/** Files `wrangler deploy --dry-run --outdir` wrote that are uploaded as Worker modules. */
function bundleModules(outdir: string): string[] {
  return walk(outdir).filter((f) => !f.endsWith(".map") && f !== "README.md");
}

/** Raw and gzip size of the Worker's modules (source maps do not count toward the limit). */
export function measureBundle(outdir: string): BundleSize {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of bundleModules(outdir)) {
    const bytes = readFileSync(path.join(outdir, f));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { rawBytes, gzipBytes };
}

export function listAssets(dir: string): AssetFile[] {
  try {
    return walk(dir).map((p) => ({ path: p, bytes: statSync(path.join(dir, p)).size }));
  } catch {
    return [];
  }
}

/**
 * "porthole-<16 hex>": SHA-256 over the bundle's modules, every asset and wrangler.toml's text.
 * Any change to what `wrangler deploy` would upload changes it; a comment-only edit of
 * wrangler.toml does too, which costs one needless deploy, never a missed one. Source maps are
 * left out: they follow the code, and carry the (random) output directory as their sourceRoot.
 */
export function contentTag(input: { outdir: string; assetsDir: string | null; configText: string }): string {
  const hash = createHash("sha256");
  const add = (label: string, bytes: Buffer | string) => {
    hash.update(`${label}\0${bytes.length}\0`);
    hash.update(bytes);
  };
  for (const f of bundleModules(input.outdir)) add(`bundle/${f}`, readFileSync(path.join(input.outdir, f)));
  if (input.assetsDir) for (const f of walk(input.assetsDir)) add(`assets/${f}`, readFileSync(path.join(input.assetsDir, f)));
  add("wrangler.toml", input.configText);
  return `porthole-${hash.digest("hex").slice(0, 16)}`;
}
