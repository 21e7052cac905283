// Why: the motion e2e needs a camera whose picture has a known story on cue — a still, noisy
// scene (a sensor's grain, a white square) until the test says "move", then the square crosses
// the picture and comes back in 4 s, then still again. This runs the real agent (config, edge
// signaling, WebRTC, recording, motion detection: cli.ts's wiring) with that picture as its
// source: two short H.264 clips ffmpeg encodes up front, looped and switched at their keyframes.
// Run: node test/e2e/support/scripted-camera.ts <porthole-agent flags>; write "move\n" to its
// stdin; it prints {"event":"scripted_motion","from":ms,"to":ms} when the square moves.
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { createAgent } from "../../../device-agent/src/agent.ts";
import { loadConfig } from "../../../device-agent/src/config.ts";
import { buildCameraControls } from "../../../device-agent/src/controls/build-controls.ts";
import { createTalkAudioBus } from "../../../device-agent/src/controls/talk/index.ts";
import { createGrantVerifier } from "../../../device-agent/src/grant/grant-verifier.ts";
import { createLogger } from "../../../device-agent/src/log.ts";
import { groupAccessUnits, isIdrAccessUnit, splitAnnexB } from "../../../device-agent/src/media/annexb-reader.ts";
import { startFrameClock, type FrameClock } from "../../../device-agent/src/media/frame-clock.ts";
import type { MediaPacket } from "../../../device-agent/src/media/packet.ts";
import { createListeners, type MediaSource } from "../../../device-agent/src/media/source.ts";
import { packetizeH264AccessUnit } from "../../../device-agent/src/rtp/h264-packetizer.ts";

export const SCRIPTED_FPS = 15;
/** The square moves this long once asked. */
export const SCRIPTED_MOTION_MS = 4_000;

/** `seconds` of 640×360 H.264 (Annex B, an IDR each second): grey with temporal noise and a
 * white square at x = `x` (an ffmpeg expression of t). Both clips end where they start. */
function encode(seconds: number, x: string): Buffer[][] {
  const graph =
    `color=c=0x505050:s=640x360:r=${SCRIPTED_FPS}:d=${seconds}[bg];color=c=white:s=80x80:r=${SCRIPTED_FPS}[box];` +
    `[bg][box]overlay=x='${x}':y=140:shortest=1,noise=alls=6:allf=t,format=yuv420p`;
  const r = spawnSync("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", graph,
    "-c:v", "libx264", "-profile:v", "baseline", "-tune", "zerolatency", "-preset", "veryfast", "-bf", "0", "-b:v", "600k",
    "-g", String(SCRIPTED_FPS), "-x264-params", "repeat-headers=1", "-f", "h264", "pipe:1",
  ], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg could not make the scripted clip: ${r.stderr.toString()}`);
  const units = groupAccessUnits(splitAnnexB(r.stdout));
  if (!units[0] || !isIdrAccessUnit(units[0])) throw new Error("the scripted clip does not start with an IDR");
  return units;
}

function scriptedSource(): MediaSource & { move(): void } {
  const still = encode(1, "40");
  // Out to the right and back: 40 → 520 → 40 px over the 4 s.
  const moving = encode(SCRIPTED_MOTION_MS / 1000, `40+480*(1-abs(t-2)/2)`);
  const packets = createListeners<[MediaPacket]>();
  const step = Math.round(90_000 / SCRIPTED_FPS);
  let clock: FrameClock | undefined;
  let clip = still;
  let i = 0;
  let wanted = false;
  return {
    description: "scripted",
    videoCodecs: ["H264"],
    audio: false,
    move: () => void (wanted = true),
    async start() {
      clock = startFrameClock(1000 / SCRIPTED_FPS, (n) => {
        // Clips switch at their first frame (an IDR), so every decoder follows the cut.
        if (i >= clip.length) {
          i = 0;
          clip = wanted ? moving : still;
          if (wanted) {
            wanted = false;
            const from = Date.now();
            process.stdout.write(JSON.stringify({ event: "scripted_motion", from, to: from + SCRIPTED_MOTION_MS }) + "\n");
          }
        }
        const au = clip[i++]!;
        const key = isIdrAccessUnit(au);
        const payloads = packetizeH264AccessUnit(au);
        payloads.forEach((payload, k) =>
          packets.emit({ codec: "H264", payload, timestamp: (n * step) >>> 0, marker: k === payloads.length - 1, keyframeStart: key && k === 0 }),
        );
      });
    },
    async stop() {
      clock?.stop();
    },
    onPacket: (fn) => packets.add(fn),
    onFatal: () => () => {},
  };
}

async function main(): Promise<number> {
  const loaded = loadConfig(process.argv.slice(2), process.env);
  if (loaded.help) return 0;
  const { config } = loaded;
  const logger = createLogger({ level: config.logLevel, context: { serial: config.serial } });
  const source = scriptedSource();
  const talkAudio = createTalkAudioBus();
  const agent = createAgent({
    edge: config.edge,
    serial: config.serial,
    token: config.token,
    name: config.name,
    source,
    loopbackCandidates: config.loopbackCandidates,
    maxSessions: config.maxSessions,
    logger,
    grants: createGrantVerifier({ serial: config.serial, edge: config.edge, logger, ...(config.edgeJwk ? { pinned: config.edgeJwk } : {}) }),
    controls: (hub) => buildCameraControls({ serial: config.serial, name: config.name, dataDir: config.dataDir, hub, logger, ptz: { kind: "none" }, talkAudio }),
    talkAudio,
  });
  createInterface({ input: process.stdin }).on("line", (line) => line.trim() === "move" && source.move());
  const stop = () => void agent.stop("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  await agent.start();
  const error = await agent.done;
  await source.stop();
  return error ? 1 : 0;
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
