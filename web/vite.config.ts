// Why: builds the PWA from web/ into web/dist, which the edge worker serves as static assets.
// The service worker is a second entry emitted at /sw.js (a fixed name at the root, so its
// scope is the whole origin and the browser can re-check it byte for byte). `_headers` gives the
// static assets the origin's security headers (worker/src/security/headers-file.ts says why).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { headersFile } from "../worker/src/security/headers-file.ts";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: webRoot,
  base: "/",
  publicDir: "public",
  plugins: [
    preact(),
    {
      name: "porthole-security-headers",
      apply: "build",
      generateBundle() {
        this.emitFile({ type: "asset", fileName: "_headers", source: headersFile() });
      },
    },
  ],
  server: {
    // protocol/ lives outside web/.
    fs: { allow: [repoRoot] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL("index.html", import.meta.url)),
        sw: fileURLToPath(new URL("src/sw/sw.ts", import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
});
