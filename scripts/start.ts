// Why: `npm start` — the whole local Porthole on one command: the PWA built, the edge in
// workerd with local D1 and the DeviceHub, demo cameras provisioned and their agents online
// (four, so the multi-camera view has something to show; PORTHOLE_EXTRA_CAMERAS=0 runs one).
import path from "node:path";
import { ensureOsDependencies, missingOsDependencies } from "./lib/os-deps.ts";
import { DEFAULT_STACK_STATE, startStack } from "./lib/stack.ts";

const port = Number(process.env.PORT ?? 8787);
const verbose = process.argv.includes("--verbose") || process.env.PORTHOLE_VERBOSE === "1";
const log = (line: string) => console.log(line);

// ffmpeg is only needed for non-demo sources; the demo plays a clip shipped in the repo.
const source = process.env.PORTHOLE_SOURCE ?? "demo";
if (source !== "demo" && missingOsDependencies().some((d) => d.pkg === "ffmpeg")) ensureOsDependencies(log);

// With ffmpeg installed the demo camera gets the processed pipeline: virtual PTZ (a moving
// crop), SD/HD and the picture settings. Without it, it still plays (SD only, no PTZ).
const hasFfmpeg = !missingOsDependencies().some((d) => d.pkg === "ffmpeg");
const virtualPtz = hasFfmpeg && !process.env.PORTHOLE_PTZ;
// Push-to-talk lands in files here (a demo host has no speaker to play it on).
const talkFile = path.join(DEFAULT_STACK_STATE.persistDir, "talk", "talk.opus");
// Three more cameras playing the plain demo clip (no ffmpeg: light even on two cores).
const extraCameras = Number(process.env.PORTHOLE_EXTRA_CAMERAS ?? 3);

const stack = await startStack({
  ...DEFAULT_STACK_STATE,
  port,
  buildWeb: "always",
  agentSource: source,
  agentArgs: [...(virtualPtz ? ["--ptz", "virtual"] : []), ...(process.env.PORTHOLE_TALK_SINK ? [] : ["--talk-sink", `file:${talkFile}`])],
  // A local coturn when /usr/bin/turnserver exists, so the relay path works locally too.
  turn: true,
  extraCameras: Number.isInteger(extraCameras) ? extraCameras : 3,
  log,
  onProcessLine: (name, line) => {
    // JSON log lines (the agent's) by their level; other tools' lines by their wording.
    const serious = line.startsWith("{") ? /"level":"(error|fatal)"/.test(line) : /error|fatal/i.test(line);
    if (verbose || serious) console.log(`[${name}] ${line}`);
  },
}).catch((error: unknown) => {
  console.error(`\nPorthole could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

const link = `${stack.url}/?serial=${encodeURIComponent(stack.camera.serial)}#code=${encodeURIComponent(stack.camera.accessCode)}`;
console.log(`
  Porthole is running.

    Open:         ${stack.url}
    Sign in:      ${stack.camera.owner?.email ?? "(no demo account)"}  /  ${stack.camera.owner?.password ?? ""}
    Serial:       ${stack.camera.serial}
    Access code:  ${stack.camera.accessCode}
    Direct link:  ${link}
                  (the demo owner allows watching with the access code; a new camera does not)
${stack.extraCameras.length ? `    More cameras: ${stack.extraCameras.map((c) => `${c.serial} (${c.name ?? "demo"}, code ${c.accessCode})`).join("\n                  ")}
                  (the demo clip, SD only; all cameras at once under Watch all: ${stack.url}/multi)
` : ""}    Controls:     ${virtualPtz || process.env.PORTHOLE_PTZ ? "PTZ (virtual: pans and zooms a crop of the picture), SD/HD, picture settings" : "SD only, no PTZ (install the Debian package ffmpeg for PTZ and HD)"};
                  snapshots${hasFfmpeg ? "" : " (need ffmpeg)"}, recordings (turn on in the camera's settings)
    Talk:         ${process.env.PORTHOLE_TALK_SINK ?? `saved as Ogg Opus files in ${path.dirname(talkFile)}`}
    Relay (TURN): ${stack.coturn ? `coturn on 127.0.0.1:${stack.coturn.port}; add ?relay=1 to the URL to force it` : "off (install the Debian package coturn for a local relay)"}

  Ctrl-C stops everything.${verbose ? "" : " (npm start -- --verbose shows process logs)"}
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Porthole…");
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
for (const p of stack.processes) {
  void p.exited.then((code) => {
    if (!stopping && p.name === "wrangler") {
      console.error(`The edge (wrangler dev) exited (${code}); stopping.`);
      void shutdown();
    }
  });
}
