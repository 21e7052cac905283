import { describe, expect, it } from "vitest";
import { parseD1List } from "./d1.ts";
import { assetProblems, bundleSizeProblem } from "./limits.ts";
import { parsePendingMigrations } from "./migrations.ts";
import { createRedactor } from "./redact.ts";
import { parseDeployedUrl, parseLiveVersion, parseVersionTag } from "./release.ts";
import { parseSecretList } from "./secrets.ts";

describe("reading wrangler's output", () => {
  it("reads the databases, secrets and live version tag from their JSON forms", () => {
    expect(parseD1List(`[{"uuid":"u1","name":"porthole","version":"production"}]`)).toEqual([{ uuid: "u1", name: "porthole" }]);
    expect(parseD1List(`▲ [WARNING] an update is available\n[\n  {"uuid":"u1","name":"porthole"}\n]`)).toEqual([{ uuid: "u1", name: "porthole" }]);
    expect(parseSecretList({ code: 0, stdout: `[{"name":"ADMIN_TOKEN","type":"secret_text"}]`, stderr: "" })).toEqual(["ADMIN_TOKEN"]);
    expect(parseSecretList({ code: 1, stdout: "", stderr: `✘ [ERROR] Worker "porthole" not found.` })).toBeNull();
    expect(() => parseSecretList({ code: 1, stdout: "", stderr: "Authentication error [code: 10000]" })).toThrow();
    expect(parseLiveVersion(`{"versions":[{"version_id":"a","percentage":10},{"version_id":"b","percentage":90}]}`)).toBe("b");
    expect(parseVersionTag(`{"id":"b","annotations":{"workers/tag":"porthole-1"}}`)).toBe("porthole-1");
  });

  it("reads pending migrations only by local file name", () => {
    const local = ["0000_a.sql", "0001_b.sql"];
    expect(parsePendingMigrations("✅ No migrations to apply!", local)).toEqual([]);
    expect(parsePendingMigrations("Migrations to be applied:\n│ 0001_b.sql │", local)).toEqual(["0001_b.sql"]);
    expect(() => parsePendingMigrations("something else", local)).toThrow();
  });

  it("finds the workers.dev URL under the deployed triggers", () => {
    expect(parseDeployedUrl("Uploaded porthole (3.1 sec)\nDeployed porthole triggers (1.0 sec)\n  https://porthole.me.workers.dev\nCurrent Version ID: x")).toBe("https://porthole.me.workers.dev");
    expect(parseDeployedUrl("No deploy targets for porthole")).toBeNull();
  });
});

describe("limits", () => {
  it("refuses a bundle over the plan's gzip limit and says how to raise it", () => {
    expect(bundleSizeProblem({ rawBytes: 1_300_000, gzipBytes: 250_000 }, "free")).toBeNull();
    expect(bundleSizeProblem({ rawBytes: 9_000_000, gzipBytes: 3_100_000 }, "free")).toMatch(/3 MB limit.*--paid/);
    expect(bundleSizeProblem({ rawBytes: 9_000_000, gzipBytes: 3_100_000 }, "paid")).toBeNull();
  });

  it("refuses assets without index.html or with a file over 25 MiB", () => {
    expect(assetProblems([{ path: "index.html", bytes: 100 }], "free")).toEqual([]);
    expect(assetProblems([], "free").join()).toMatch(/no index.html/);
    expect(assetProblems([{ path: "index.html", bytes: 1 }, { path: "big.mp4", bytes: 26 * 1024 * 1024 }], "free").join()).toMatch(/big.mp4/);
  });
});

describe("createRedactor", () => {
  it("hides a registered value and a JWK's private part wherever they appear", () => {
    const r = createRedactor();
    r.add("token-abcdefghijkl");
    r.add(JSON.stringify({ kty: "EC", d: "private-part-xyz123" }));
    expect(r.redact("a token-abcdefghijkl b private-part-xyz123")).toBe("a [redacted] b [redacted]");
  });
});
