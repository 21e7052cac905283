// Why: which cameras the multi-camera view plays — at most four (each tile is its own live
// session, and a phone decodes four SD streams at most comfortably) — chosen by the person when
// they have more, and remembered on this device. Pure so the rules are tested without storage.
import type { Camera } from "../../../protocol/accounts.ts";

/** Tiles at once: 2×2 on desktop, a column of four on a phone. */
export const MAX_TILES = 4;

/** localStorage key for the person's choice (serials, in tile order). */
export const TILES_STORAGE_KEY = "porthole.multiView";

/** The stored choice, or null when there is none or it is not a list of serials. */
export function parseSavedTiles(raw: string | null): string[] | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) && v.every((s) => typeof s === "string") ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/**
 * The serials to play, in tile order. A saved choice wins (minus cameras no longer in the list);
 * without one — or when none of it is left — the first four, online cameras first (an offline
 * tile shows nothing), otherwise in the list's order.
 */
export function chooseTileCameras(cameras: readonly Pick<Camera, "serial" | "online">[], saved: readonly string[] | null): string[] {
  const known = new Set(cameras.map((c) => c.serial));
  const kept = (saved ?? []).filter((s, i, all) => known.has(s) && all.indexOf(s) === i).slice(0, MAX_TILES);
  if (kept.length > 0) return kept;
  const ordered = [...cameras.filter((c) => c.online), ...cameras.filter((c) => !c.online)];
  return ordered.slice(0, MAX_TILES).map((c) => c.serial);
}

/** Adds or removes one camera from the choice; a fifth is refused (the choice stays as it was). */
export function toggleTileCamera(chosen: readonly string[], serial: string): string[] {
  if (chosen.includes(serial)) return chosen.filter((s) => s !== serial);
  return chosen.length >= MAX_TILES ? [...chosen] : [...chosen, serial];
}
