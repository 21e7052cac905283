// Why: the one place a raw frame becomes a typed message. Every process calls this at its
// boundary instead of `JSON.parse(x) as T`, and gets back the close code to use on failure
// (RFC 6455 §7.4.1: 1008 policy violation, 1009 message too big).
import type { z } from "zod";
import { utf8Length } from "./utf8.ts";

/** Largest signaling frame accepted (an SDP with many candidates is ~10 KB). */
export const MAX_SIGNALING_FRAME_BYTES = 64 * 1024;
/** Largest data channel message accepted before controls carry media (snapshots chunk). */
export const MAX_DATA_CHANNEL_MESSAGE_BYTES = 64 * 1024;

export type ParseFailure = {
  ok: false;
  code: "malformed_message" | "message_too_large";
  closeCode: 1008 | 1009;
  detail: string;
};
export type ParseResult<T> = { ok: true; value: T } | ParseFailure;


/** Parses and validates one JSON text frame against `schema`. */
export function parseMessage<S extends z.ZodType>(
  schema: S,
  raw: string | ArrayBuffer | ArrayBufferView,
  maxBytes: number = MAX_SIGNALING_FRAME_BYTES,
): ParseResult<z.infer<S>> {
  // Cheap length check first: a string's UTF-8 size is at least its length.
  if (typeof raw === "string" ? raw.length > maxBytes : raw.byteLength > maxBytes) {
    return { ok: false, code: "message_too_large", closeCode: 1009, detail: `limit ${maxBytes} bytes` };
  }
  if (typeof raw !== "string") {
    return { ok: false, code: "malformed_message", closeCode: 1008, detail: "binary frames are not accepted" };
  }
  if (utf8Length(raw) > maxBytes) {
    return { ok: false, code: "message_too_large", closeCode: 1009, detail: `limit ${maxBytes} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: "malformed_message", closeCode: 1008, detail: "not JSON" };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "message";
    return { ok: false, code: "malformed_message", closeCode: 1008, detail: `${where}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, value: result.data };
}

/** Exhaustiveness guard for `switch (msg.type)`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
