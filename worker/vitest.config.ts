// Why: the worker's tests run inside workerd (the real runtime) with the real wrangler.toml,
// the real D1 migrations applied, and throwaway secrets minted for the run.
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const repo = path.resolve(root, "..");

export default defineConfig(async () => {
  // wrangler.toml serves ./web/dist as assets; tests do not need the PWA, but the directory
  // must exist for the config to load (it is gitignored and built by `npm run build:web`).
  mkdirSync(path.join(repo, "web", "dist"), { recursive: true });
  const migrations = await readD1Migrations(path.join(repo, "migrations"));
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const edgeJwk = { ...privateKey.export({ format: "jwk" }), alg: "ES256", kid: "edge-test" };
  const vapidJwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });

  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(repo, "wrangler.toml") },
        miniflare: {
          bindings: {
            ADMIN_TOKEN: "test-admin-token",
            EDGE_SIGNING_JWK: JSON.stringify(edgeJwk),
            VAPID_PRIVATE_JWK: JSON.stringify(vapidJwk),
            VAPID_SUBJECT: "mailto:push-test@porthole.invalid",
            ICE_SERVERS: JSON.stringify([{ urls: "stun:stun.test.invalid:3478" }]),
            TEST_MIGRATIONS: migrations,
          },
        },
      }),
    ],
    test: {
      name: "worker",
      root,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 15_000,
      // The worker logs one JSON line per event; show them only for failing tests.
      silent: "passed-only" as const,
    },
  };
});
