// Why: vars and secrets arrive as strings; they are parsed and checked here once per isolate,
// and a misconfiguration fails loudly (500 + log) rather than silently degrading.
import { z } from "zod";
import { IceServerSchema, type IceServer } from "../../protocol/index.ts";

const IceServersSchema = z.array(IceServerSchema).max(8);
let iceCache: { raw: string; value: IceServer[] } | undefined;

/** ICE_SERVERS var (JSON array); missing or empty means host candidates only. */
export function iceServers(env: { ICE_SERVERS?: string }): IceServer[] {
  const raw = env.ICE_SERVERS?.trim() || "[]";
  if (iceCache?.raw === raw) return iceCache.value;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error("ICE_SERVERS is not valid JSON");
  }
  const parsed = IceServersSchema.safeParse(json);
  if (!parsed.success) throw new Error(`ICE_SERVERS is invalid: ${parsed.error.issues[0]?.message ?? "bad shape"}`);
  iceCache = { raw, value: parsed.data };
  return parsed.data;
}

/** Seconds between device keep-alive pings we ask for in `welcome`. */
export const DEVICE_HEARTBEAT_SECONDS = 30;

/**
 * DEVICE_HEARTBEAT_SECONDS var (optional; default 30): the camera's ping interval. The edge
 * closes a camera silent for 3 intervals (hub/device-heartbeat.ts), so tests set a few seconds
 * to see a lost network without waiting minutes. Bounded to 1–300 s; anything else is an error.
 */
export function deviceHeartbeatSeconds(env: { DEVICE_HEARTBEAT_SECONDS?: string }): number {
  const raw = env.DEVICE_HEARTBEAT_SECONDS?.trim();
  if (!raw) return DEVICE_HEARTBEAT_SECONDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 300) throw new Error("DEVICE_HEARTBEAT_SECONDS must be a whole number of seconds, 1–300");
  return n;
}
