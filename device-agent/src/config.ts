// Why: flags and environment become one validated config in a pure function, so the CLI's
// usage errors are unit-testable and clear before anything connects.
import { readFileSync } from "node:fs";
import type { JWK } from "jose";
import { parseArgs } from "node:util";
import { z } from "zod";
import { IceServerSchema, SerialSchema, type IceServer } from "../../protocol/index.ts";
import { AgentError } from "./errors.ts";
import { isLogLevel, type LogLevel } from "./log.ts";
import type { FfmpegInput } from "./media/ffmpeg-source.ts";
import { parseTalkSinkSpec, type TalkSinkSpec } from "./controls/talk/talk-sink-spec.ts";
import { readEdgeJwksArg } from "./grant/edge-key.ts";
import { isLoopbackEdge } from "./signaling/edge-url.ts";
import { parseStunTarget, type StunTarget } from "./nat/monitor.ts";

export const USAGE = `Usage: porthole-agent [options]
       porthole-agent doctor [options] [--json]   check the network, edge, token and relays

Connects a camera to a Porthole edge and streams it peer-to-peer to viewers (WebRTC).

Options (environment fallback in brackets):
  --edge <url>            Edge origin [PORTHOLE_EDGE_URL] (default http://127.0.0.1:8787)
  --serial <serial>       Device serial, e.g. CAM-0001 [PORTHOLE_SERIAL] (required)
  --token <jwt>           Device JWT signed by the vendor [PORTHOLE_DEVICE_TOKEN]
  --token-file <path>     Read the device JWT from a file instead
  --source <source>       demo | testsrc | rtsp://… | v4l2:/dev/videoN [PORTHOLE_SOURCE]
                          (default demo: the shipped clip, no ffmpeg needed)
  --name <name>           Name shown to viewers [PORTHOLE_NAME] (default: the serial)
  --loopback-candidates   Offer a 127.0.0.1 ICE candidate (default on when the edge is local)
  --no-loopback-candidates
  --ice-servers <json>    Override the edge's ICE servers, e.g. '[{"urls":"stun:host:3478"}]'
  --max-sessions <n>      Concurrent viewers (default 10)
  --nat-stun <host:port>[,<host:port>]
                          STUN server for NAT type discovery (RFC 5780: coturn with two
                          addresses) and optionally a second one on another IP, used when
                          the first has no RFC 5780 [PORTHOLE_NAT_STUN] (default: the
                          edge's, from its welcome)
  --edge-jwks <file|json> The edge's public key (JWKS or JWK) that viewer grants are checked
                          with [PORTHOLE_EDGE_JWKS]. Pin it; without it the agent fetches
                          <edge>/api/edge/jwks once at startup and trusts it (logged)
  --data-dir <dir>        Where the camera keeps settings, presets and recordings
                          [PORTHOLE_DATA_DIR] (default ~/.local/state/porthole/<serial>)
  --talk-sink <sink>      Where viewers' push-to-talk audio goes [PORTHOLE_TALK_SINK]:
                          alsa:<device> (ffmpeg plays it, e.g. alsa:default),
                          file:<path> (one Ogg Opus file per talk burst, named
                          <path stem>-<UTC time>.opus) or none (default: talk off)
  --ptz <driver>          virtual | none | onvif:<http url of the camera's ONVIF service>
                          [PORTHOLE_PTZ]. virtual pans/zooms a crop of the picture (needs
                          ffmpeg; the default for ffmpeg sources; with --source demo it
                          sends the clip through ffmpeg). ONVIF credentials come from
                          PORTHOLE_ONVIF_USERNAME / PORTHOLE_ONVIF_PASSWORD
  --log-level <level>     debug | info | warn | error [PORTHOLE_LOG_LEVEL] (default info)
  -h, --help              Show this help

Exit codes: 0 stopped, 2 usage, 3 refused by the edge or replaced by another agent,
4 media source failed (e.g. ffmpeg missing), 5 gave up reaching the edge.
Logs are JSON lines on stdout.`;

export type SourceSpec = { kind: "demo" } | FfmpegInput;

/** Which PTZ driver the camera runs. */
export type PtzSpec = { kind: "virtual" } | { kind: "none" } | { kind: "onvif"; url: string };

export interface AgentConfig {
  edge: string;
  serial: string;
  token: string;
  name: string;
  source: SourceSpec;
  sourceText: string;
  loopbackCandidates: boolean;
  iceServers?: IceServer[];
  /** STUN server for NAT behaviour discovery; absent: the first session's. */
  natStun?: StunTarget;
  /** A second STUN server (another IP) for the mapping test when the first lacks RFC 5780. */
  natStunAlt?: StunTarget;
  maxSessions: number;
  logLevel: LogLevel;
  /** Pinned edge public key; absent: fetched on first use. */
  edgeJwk?: JWK;
  /** Settings, presets and recordings live here. */
  dataDir: string;
  /** PTZ driver; virtual means the picture goes through the ffmpeg pipeline. */
  ptz: PtzSpec;
  /** Where push-to-talk audio goes; none turns talk off. */
  talkSink: TalkSinkSpec;
}

export type ConfigResult = { help: true } | { help: false; config: AgentConfig };

export function parseSource(text: string): SourceSpec {
  if (text === "demo") return { kind: "demo" };
  if (text === "testsrc") return { kind: "testsrc" };
  if (/^rtsps?:\/\//.test(text)) return { kind: "rtsp", url: text };
  if (text.startsWith("v4l2:")) {
    const device = text.slice(5);
    if (!device.startsWith("/dev/")) throw AgentError.usage(`--source v4l2: needs a device path, e.g. v4l2:/dev/video0`);
    return { kind: "v4l2", device };
  }
  throw AgentError.usage(`unknown --source ${JSON.stringify(text)}; use demo, testsrc, rtsp://… or v4l2:/dev/videoN`);
}

/**
 * `--ptz`: absent means virtual for ffmpeg sources (the pipeline exists anyway) and none for the
 * demo clip, which then plays exactly as shipped without ffmpeg.
 */
export function parsePtz(text: string | undefined, source: SourceSpec): PtzSpec {
  if (text === undefined || text === "") return source.kind === "demo" ? { kind: "none" } : { kind: "virtual" };
  if (text === "virtual" || text === "none") return { kind: text };
  if (text.startsWith("onvif:")) {
    const url = text.slice(6);
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw AgentError.usage(`--ptz onvif: needs the camera's ONVIF service URL, e.g. onvif:http://192.168.1.20/onvif/device_service`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw AgentError.usage(`--ptz onvif: the URL must be http(s), got ${u.protocol}`);
    if (u.username || u.password) throw AgentError.usage("--ptz onvif: put credentials in PORTHOLE_ONVIF_USERNAME / PORTHOLE_ONVIF_PASSWORD, not in the URL");
    return { kind: "onvif", url };
  }
  throw AgentError.usage(`unknown --ptz ${JSON.stringify(text)}; use virtual, none or onvif:<url>`);
}

export function loadConfig(argv: string[], env: Record<string, string | undefined>, readFile: (p: string) => string = (p) => readFileSync(p, "utf8")): ConfigResult {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        edge: { type: "string" },
        serial: { type: "string" },
        token: { type: "string" },
        "token-file": { type: "string" },
        source: { type: "string" },
        name: { type: "string" },
        "loopback-candidates": { type: "boolean" },
        "ice-servers": { type: "string" },
        "max-sessions": { type: "string" },
        "nat-stun": { type: "string" },
        "edge-jwks": { type: "string" },
        "log-level": { type: "string" },
        "data-dir": { type: "string" },
        ptz: { type: "string" },
        "talk-sink": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw AgentError.usage((e as Error).message);
  }
  if (values.help) return { help: true };

  const edge = values.edge ?? env.PORTHOLE_EDGE_URL ?? "http://127.0.0.1:8787";
  try {
    const u = new URL(edge);
    if (!["http:", "https:", "ws:", "wss:"].includes(u.protocol)) throw new Error();
  } catch {
    throw AgentError.usage(`--edge must be an http(s) URL, got ${JSON.stringify(edge)}`);
  }

  const serial = values.serial ?? env.PORTHOLE_SERIAL;
  if (!serial) throw AgentError.usage("--serial (or PORTHOLE_SERIAL) is required");
  if (!SerialSchema.safeParse(serial).success) {
    throw AgentError.usage(`--serial ${JSON.stringify(serial)} is not a valid serial (A-Z, 0-9 and dashes, 4-64 chars)`);
  }

  if (values.token && values["token-file"]) throw AgentError.usage("pass either --token or --token-file, not both");
  let token = values.token;
  if (values["token-file"]) {
    try {
      token = readFile(values["token-file"]).trim();
    } catch (e) {
      throw AgentError.usage(`cannot read --token-file: ${(e as Error).message}`);
    }
  }
  token ??= env.PORTHOLE_DEVICE_TOKEN;
  if (!token) throw AgentError.usage("a device token is required: --token, --token-file or PORTHOLE_DEVICE_TOKEN");

  const sourceText = values.source ?? env.PORTHOLE_SOURCE ?? "demo";
  const source = parseSource(sourceText);

  let iceServers: IceServer[] | undefined;
  if (values["ice-servers"] !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(values["ice-servers"]);
    } catch {
      throw AgentError.usage("--ice-servers must be JSON, e.g. '[{\"urls\":\"stun:127.0.0.1:3478\"}]'");
    }
    const r = z.array(IceServerSchema).max(8).safeParse(json);
    if (!r.success) throw AgentError.usage(`--ice-servers: ${r.error.issues[0]?.message ?? "invalid"}`);
    iceServers = r.data;
  }

  const natStunText = values["nat-stun"] ?? env.PORTHOLE_NAT_STUN;
  const natStunList = natStunText === undefined ? [] : natStunText.split(",").map(parseStunTarget);
  if (natStunText !== undefined && (natStunList.length > 2 || natStunList.some((t) => !t))) {
    throw AgentError.usage(`--nat-stun must be host:port, or two of them comma-separated, e.g. stun.example.com:3478, got ${JSON.stringify(natStunText)}`);
  }
  const [natStun, natStunAlt] = natStunList;

  const maxText = values["max-sessions"] ?? "10";
  const maxSessions = Number(maxText);
  if (!Number.isInteger(maxSessions) || maxSessions < 1 || maxSessions > 100) {
    throw AgentError.usage(`--max-sessions must be an integer 1-100, got ${maxText}`);
  }

  const logLevel = values["log-level"] ?? env.PORTHOLE_LOG_LEVEL ?? "info";
  if (!isLogLevel(logLevel)) throw AgentError.usage(`--log-level must be debug, info, warn or error, got ${logLevel}`);

  let edgeJwk: JWK | undefined;
  const jwksArg = values["edge-jwks"] ?? env.PORTHOLE_EDGE_JWKS;
  if (jwksArg) {
    try {
      edgeJwk = readEdgeJwksArg(jwksArg, readFile);
    } catch (e) {
      throw AgentError.usage(`--edge-jwks: ${(e as Error).message}`);
    }
  }

  const home = env.HOME ?? "/tmp";
  const dataDir = values["data-dir"] ?? env.PORTHOLE_DATA_DIR ?? `${env.XDG_STATE_HOME ?? `${home}/.local/state`}/porthole/${serial}`;

  let talkSink: TalkSinkSpec;
  try {
    talkSink = parseTalkSinkSpec(values["talk-sink"] ?? env.PORTHOLE_TALK_SINK ?? "none");
  } catch (e) {
    throw AgentError.usage((e as Error).message);
  }

  const ptz = parsePtz(values.ptz ?? env.PORTHOLE_PTZ, source);

  const name = values.name ?? env.PORTHOLE_NAME ?? serial;
  if (name.length > 128) throw AgentError.usage("--name is limited to 128 characters");

  return {
    help: false,
    config: {
      edge,
      serial,
      token,
      name,
      source,
      sourceText,
      loopbackCandidates: values["loopback-candidates"] ?? isLoopbackEdge(edge),
      ...(iceServers ? { iceServers } : {}),
      ...(natStun ? { natStun } : {}),
      ...(natStunAlt ? { natStunAlt } : {}),
      maxSessions,
      logLevel,
      ...(edgeJwk ? { edgeJwk } : {}),
      dataDir,
      talkSink,
      ptz,
    },
  };
}
