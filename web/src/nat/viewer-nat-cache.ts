// Why: the browser's NAT type is only measured by the connection test (a few seconds of
// probing), but session reports and explanations want it afterwards, so the latest result is
// kept in localStorage with when it was measured and a fingerprint of the public address it was
// measured from — a result from another network (Wi-Fi → mobile) must not be reused as this one.
import type { NatTypeName } from "../../../protocol/nat.ts";
import type { NatSide } from "../../../protocol/path-prediction.ts";

const KEY = "porthole.viewerNat";

/** A measurement older than this is not handed out: networks change (RFC 4787 §4.3 mappings time out, people move). */
export const VIEWER_NAT_MAX_AGE_MS = 24 * 60 * 60_000;

export interface ViewerNatRecord {
  /** The prediction input (protocol/path-prediction.ts). */
  side: NatSide;
  /** The RFC 3489 name, as the camera's natType (protocol/nat.ts). */
  verdict: NatTypeName;
  /** When it was measured (Unix ms). */
  at: number;
  /** A short hash of the public (server-reflexive) address it was measured from; null when none was seen. */
  fingerprint: string | null;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled (private mode, sandboxed frame)
  }
}

function isRecord(v: unknown): v is ViewerNatRecord {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  const side = r.side as Record<string, unknown> | undefined;
  return (
    typeof r.verdict === "string" &&
    typeof r.at === "number" &&
    (r.fingerprint === null || typeof r.fingerprint === "string") &&
    !!side &&
    typeof side.mapping === "string" &&
    typeof side.filtering === "string" &&
    typeof side.udpBlocked === "boolean"
  );
}

/** The stored record as it is (any age), or null. */
export function readViewerNat(store: Pick<Storage, "getItem"> | null = storage()): ViewerNatRecord | null {
  const raw = store?.getItem(KEY);
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return isRecord(v) ? v : null;
  } catch {
    return null;
  }
}

/** Keeps the latest connection-test result. */
export function saveViewerNat(record: ViewerNatRecord, store: Pick<Storage, "setItem"> | null = storage()): void {
  try {
    store?.setItem(KEY, JSON.stringify(record));
  } catch {
    /* quota or disabled storage: the cache is a convenience */
  }
}

/**
 * The viewer's NAT from the latest connection test, or null when none was run, or it is older
 * than VIEWER_NAT_MAX_AGE_MS. Session reports put it next to the camera's NAT.
 */
export function lastViewerNat(now: number = Date.now(), store: Pick<Storage, "getItem"> | null = storage()): { side: NatSide; verdict: NatTypeName; at: number } | null {
  const r = readViewerNat(store);
  if (!r || now - r.at > VIEWER_NAT_MAX_AGE_MS || r.at > now + 60_000) return null;
  return { side: r.side, verdict: r.verdict, at: r.at };
}
