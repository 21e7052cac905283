import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TMP_DIR } from "../paths.ts";
import { contentTag, measureBundle } from "./bundle.ts";

const dirs: string[] = [];
function outdir(files: Record<string, string>): string {
  mkdirSync(TMP_DIR, { recursive: true });
  const dir = mkdtempSync(path.join(TMP_DIR, "bundle-test-"));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("contentTag", () => {
  it("is the same for the same code built twice (wrangler's README timestamp and the map's sourceRoot differ)", () => {
    const a = outdir({ "index.js": "export default {}", "index.js.map": `{"sourceRoot":"/tmp/a"}`, "README.md": "generated at 1" });
    const b = outdir({ "index.js": "export default {}", "index.js.map": `{"sourceRoot":"/tmp/b"}`, "README.md": "generated at 2" });
    expect(contentTag({ outdir: a, assetsDir: null, configText: "x" })).toBe(contentTag({ outdir: b, assetsDir: null, configText: "x" }));
  });

  it("changes with the code, the assets or wrangler.toml", () => {
    const a = outdir({ "index.js": "export default {}" });
    const b = outdir({ "index.js": "export default { v: 2 }" });
    const assets = outdir({ "index.html": "<p>1" });
    const base = contentTag({ outdir: a, assetsDir: null, configText: "x" });
    expect(contentTag({ outdir: b, assetsDir: null, configText: "x" })).not.toBe(base);
    expect(contentTag({ outdir: a, assetsDir: assets, configText: "x" })).not.toBe(base);
    expect(contentTag({ outdir: a, assetsDir: null, configText: "y" })).not.toBe(base);
  });
});

describe("measureBundle", () => {
  it("counts the modules, not the source map or wrangler's README", () => {
    const dir = outdir({ "index.js": "a".repeat(1000), "index.js.map": "b".repeat(5000), "README.md": "c" });
    const size = measureBundle(dir);
    expect(size.rawBytes).toBe(1000);
    expect(size.gzipBytes).toBeLessThan(100);
  });
});
