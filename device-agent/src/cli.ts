// Why: the `porthole-agent` entry point — config, source, agent, signals, exit codes.
import { createAgent } from "./agent.ts";
import { buildCameraControls } from "./controls/build-controls.ts";
import { createTalkAudioBus } from "./controls/talk/index.ts";
import { loadConfig, USAGE, type AgentConfig } from "./config.ts";
import { doctorMain } from "./doctor/index.ts";
import { AgentError, EXIT_CODES, isAgentError } from "./errors.ts";
import { createGrantVerifier } from "./grant/grant-verifier.ts";
import { createLogger, type Logger } from "./log.ts";
import { createDemoSource, DEFAULT_DEMO_DIR } from "./media/demo-source.ts";
import { describeInput, probeHasAudio } from "./media/ffmpeg-source.ts";
import { createProcessedSource } from "./media/processed-source.ts";
import type { MediaSource } from "./media/source.ts";
import { AGENT_VERSION } from "./version.ts";

/**
 * The demo clip plays as shipped (no ffmpeg) unless virtual PTZ is asked for; every other
 * source, and the demo with --ptz virtual, goes through the processed ffmpeg pipeline (crop,
 * image options, SD/HD).
 */
export function createSource(config: AgentConfig, logger: Logger): MediaSource {
  const s = config.source;
  if (s.kind === "demo") {
    if (config.ptz.kind !== "virtual") return createDemoSource();
    const input = { kind: "clip" as const, video: `${DEFAULT_DEMO_DIR}demo.vp8.ivf`, audio: `${DEFAULT_DEMO_DIR}demo.opus.ogg` };
    return createProcessedSource({ input, logger, description: "demo", audio: true });
  }
  const audio = s.kind === "testsrc" ? true : s.kind === "rtsp" ? probeHasAudio(s.url) : false;
  // A V4L2 device can be opened by one process only: SD and HD share one encoder there.
  return createProcessedSource({ input: s, logger, description: describeInput(s), audio, shared: s.kind === "v4l2" });
}

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  if (argv[0] === "doctor") return doctorMain(argv.slice(1), env);
  let config: AgentConfig;
  try {
    const r = loadConfig(argv, env);
    if (r.help) {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    config = r.config;
  } catch (e) {
    if (isAgentError(e) && e.code === "usage") {
      process.stderr.write(`porthole-agent: ${e.message}\nRun porthole-agent --help for usage.\n`);
      return EXIT_CODES.usage;
    }
    throw e;
  }

  const logger = createLogger({ level: config.logLevel, context: { serial: config.serial } });
  let source: MediaSource;
  try {
    source = createSource(config, logger);
  } catch (e) {
    return fail(logger, e);
  }
  const talkAudio = createTalkAudioBus();
  const agent = createAgent({
    edge: config.edge,
    serial: config.serial,
    token: config.token,
    name: config.name,
    source,
    loopbackCandidates: config.loopbackCandidates,
    ...(config.iceServers ? { iceServersOverride: config.iceServers } : {}),
    ...(config.natStun ? { natStunServer: config.natStun } : {}),
    ...(config.natStunAlt ? { natAltServer: config.natStunAlt } : {}),
    maxSessions: config.maxSessions,
    logger,
    grants: createGrantVerifier({ serial: config.serial, edge: config.edge, logger, ...(config.edgeJwk ? { pinned: config.edgeJwk } : {}) }),
    // The demo camera starts in day mode: its night look is a clock-driven software filter, and
    // a demo that turns grey every evening looks broken. Real cameras keep "auto" (IR follows light).
    controls: (hub) => buildCameraControls({ serial: config.serial, name: config.name, dataDir: config.dataDir, hub, logger, ptz: config.ptz, talkSink: config.talkSink, talkAudio, ...(config.source.kind === "demo" ? { defaultNight: "off" as const } : {}) }),
    talkAudio,
  });

  let signalled = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalled) {
      // A second Ctrl-C means "now".
      process.exit(130);
    }
    signalled = true;
    void agent.stop(sig);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Re-run NAT behaviour discovery now (after changing the router's NAT, or from the NAT lab),
  // rather than waiting for an address change or the periodic refresh.
  process.on("SIGUSR2", () => agent.nat.refresh());

  try {
    await agent.start();
  } catch (e) {
    await source.stop().catch(() => {});
    return fail(logger, e);
  }
  logger.info({
    event: "agent_started",
    version: AGENT_VERSION,
    edge: config.edge,
    source: config.sourceText.replace(/\/\/[^@/]*@/, "//***@"),
    videoCodecs: [...source.videoCodecs],
    audio: source.audio,
  });
  const error = await agent.done;
  if (!error) return 0;
  process.stderr.write(`porthole-agent: ${error.message}\n`);
  return EXIT_CODES[error.code];
}

function fail(logger: Logger, e: unknown): number {
  const err = isAgentError(e) ? e : new AgentError("source_failed", (e as Error).message ?? String(e));
  logger.error({ event: "agent_fatal", code: err.code, message: err.message });
  process.stderr.write(`porthole-agent: ${err.message}\n`);
  return EXIT_CODES[err.code];
}

if (import.meta.main) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      // werift keeps sockets/timers alive after close(); exit explicitly.
      process.exit(code);
    },
    (e: unknown) => {
      process.stderr.write(`porthole-agent: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
