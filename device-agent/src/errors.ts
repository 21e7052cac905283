// Why: the agent's failures carry stable codes so logs, exit codes and the README table agree.
import type { ErrorCode } from "../../protocol/index.ts";

/** Stable agent error codes. Never rename one: operators grep logs for them. */
export const AGENT_ERROR_CODES = {
  usage: "Bad command-line flags or environment.",
  ffmpeg_missing: "ffmpeg is not installed (Debian package `ffmpeg`).",
  source_failed: "The media source failed to start or stopped.",
  asset_invalid: "A demo asset could not be parsed.",
  edge_refused: "The edge refused this device permanently (bad token, revoked, unknown serial).",
  device_replaced: "Another agent connected with this serial and replaced this one.",
  session_limit: "Too many concurrent viewer sessions.",
  session_failed: "A viewer session failed.",
  edge_unreachable: "The reconnect policy gave up reaching the edge.",
} as const;

export type AgentErrorCode = keyof typeof AGENT_ERROR_CODES;

/** Process exit codes: 0 clean stop, 2 usage, 3 permanent edge refusal/replacement, 4 source. */
export const EXIT_CODES: Record<AgentErrorCode, number> = {
  usage: 2,
  ffmpeg_missing: 4,
  source_failed: 4,
  asset_invalid: 4,
  edge_refused: 3,
  device_replaced: 3,
  session_limit: 1,
  session_failed: 1,
  edge_unreachable: 5,
};

export class AgentError extends Error {
  readonly code: AgentErrorCode;
  /** The edge's protocol error code when the edge caused this. */
  readonly edgeCode: ErrorCode | undefined;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown; edgeCode?: ErrorCode }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AgentError";
    this.code = code;
    this.edgeCode = options?.edgeCode;
  }

  static usage(message: string): AgentError {
    return new AgentError("usage", message);
  }

  static ffmpegMissing(cause?: unknown): AgentError {
    return new AgentError(
      "ffmpeg_missing",
      "ffmpeg was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install ffmpeg`) or use --source demo.",
      { cause },
    );
  }

  static sourceFailed(detail: string, cause?: unknown): AgentError {
    return new AgentError("source_failed", `media source failed: ${detail}`, { cause });
  }

  static assetInvalid(file: string, detail: string): AgentError {
    return new AgentError("asset_invalid", `${file}: ${detail}`);
  }

  static edgeRefused(edgeCode: ErrorCode, message: string): AgentError {
    return new AgentError("edge_refused", `the edge refused this device (${edgeCode}): ${message}`, { edgeCode });
  }

  static deviceReplaced(): AgentError {
    return new AgentError(
      "device_replaced",
      "another agent connected with this serial and replaced this one; stopping (close 4000)",
      { edgeCode: "device_replaced" },
    );
  }
}

export function isAgentError(value: unknown): value is AgentError {
  return value instanceof AgentError;
}
