// Why: small builders for the effects the hub logic returns, so handlers read as sentences.
import { closeReason, ERROR_CODES, type ErrorCode } from "../../../protocol/index.ts";
import type { ParseFailure } from "../../../protocol/index.ts";
import type { Conn, Effect } from "./types.ts";

/** Marks the socket closing, then closes it. */
export function close(conn: Conn, code: number, reason: string): Effect[] {
  return [
    { type: "set-phase", to: conn.id, phase: "closing" },
    { type: "close", to: conn.id, code, reason },
  ];
}

/** Sends `{type:"error"}` then closes with the code's close code (RFC 6455 §7.4; 4xxx ours). */
export function failAndClose(conn: Conn, code: ErrorCode, detail?: string): Effect[] {
  const message = detail ? `${ERROR_CODES[code].message} ${detail}` : ERROR_CODES[code].message;
  return [
    { type: "send", to: conn.id, message: { type: "error", code, message: message.slice(0, 500) } },
    ...close(conn, ERROR_CODES[code].close, closeReason(code, detail)),
  ];
}

/** A frame that broke the protocol: close that socket only, 1008 or 1009 with the reason. */
export function refuseFrame(conn: Conn, failure: Pick<ParseFailure, "code" | "closeCode" | "detail">): Effect[] {
  return [
    {
      type: "log",
      event: {
        event: "frame_refused",
        serial: conn.serial,
        role: conn.role,
        ...(conn.role === "viewer" ? { sessionId: conn.sessionId } : {}),
        code: failure.code,
        detail: failure.detail,
      },
    },
    ...close(conn, failure.closeCode, closeReason(failure.code, failure.detail)),
  ];
}

export function protocolViolation(conn: Conn, detail: string): Effect[] {
  return refuseFrame(conn, { code: "malformed_message", closeCode: 1008, detail });
}
