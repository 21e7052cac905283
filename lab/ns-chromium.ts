// Why: the lab's viewers are real headless Chromium inside a home namespace. Playwright talks to
// Chromium over a stdio pipe (CDP), so a wrapper that execs `ip netns exec <ns> chromium` moves
// the whole browser into the namespace. One launch for the grid (viewer.ts) and the flap test.
import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium.ts";
import { EDGE_URL } from "./addresses.ts";

export async function launchChromiumInNamespace(ns: string, scratchDir: string, tag: string, extraArgs: string[] = []): Promise<Browser> {
  const wrapper = path.join(scratchDir, `chromium-${tag}-${ns}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM_PATH} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return chromium.launch({
    executablePath: wrapper,
    headless: true,
    timeout: 30_000,
    // The lab edge is plain http on a non-loopback address; the PWA needs a secure context.
    args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${EDGE_URL}`, ...extraArgs],
  });
}
