// Why: the virtual PTZ is a crop window over the full picture. Pan/tilt (-1…1) place the window
// inside the picture, zoom (0…1) shrinks it, and the window keeps the output's aspect ratio so
// the scaler after it never stretches the picture. Expressed in ffmpeg expressions over the
// input size (iw, ih), so the agent never needs to know the camera's resolution.
import type { PtzPosition } from "../../../protocol/index.ts";

/** Zoom 1 shows 1/MAX_VIRTUAL_ZOOM of the wide view: 4× (beyond that a 360p source is mush). */
export const MAX_VIRTUAL_ZOOM = 4;
/**
 * The widest view is this fraction of the picture, not all of it: like a real PTZ head, the
 * camera can pan beyond what it shows, even fully wide (with the whole picture as the widest
 * view, pan would do nothing until zoomed in).
 */
export const WIDE_VIEW = 0.75;

export interface CropWindow {
  /** Fraction of the largest output-aspect window that is shown (WIDE_VIEW … WIDE_VIEW/4). */
  scale: number;
  /** Where the window sits in the free space: 0 = left/top edge, 1 = right/bottom edge. */
  fx: number;
  fy: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Pan right → window right; tilt up (+1) → window at the top (image y grows downwards). */
export function cropWindow(p: PtzPosition, maxZoom = MAX_VIRTUAL_ZOOM): CropWindow {
  const zoom = clamp(p.zoom, 0, 1);
  return {
    scale: WIDE_VIEW / (1 + zoom * (maxZoom - 1)),
    fx: (clamp(p.pan, -1, 1) + 1) / 2,
    fy: (1 - clamp(p.tilt, -1, 1)) / 2,
  };
}

/** The window in pixels for an input of `iw`×`ih` (what the expressions below evaluate to). */
export function cropRect(w: CropWindow, iw: number, ih: number, aspect: number): { x: number; y: number; w: number; h: number } {
  const base = Math.min(iw, ih * aspect);
  const cw = even(base * w.scale);
  const ch = even((base / aspect) * w.scale);
  return { w: cw, h: ch, x: even((iw - cw) * w.fx), y: even((ih - ch) * w.fy) };
}

const even = (v: number): number => Math.floor(v / 2) * 2;

const num = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/**
 * The `crop` filter's w/h/x/y as ffmpeg expressions (ffmpeg-utils "Expression Evaluation"),
 * even-sized for 4:2:0 chroma. x/y use `ow`/`oh`, the crop's own evaluated output size.
 * Raw form (as a runtime command's argument); inside a filtergraph the commas need `\\,`.
 */
export function cropExpressions(w: CropWindow, aspect: number): { w: string; h: string; x: string; y: string } {
  const a = num(aspect);
  const s = num(w.scale);
  return {
    w: `floor(min(iw,ih*${a})*${s}/2)*2`,
    h: `floor(min(iw/${a},ih)*${s}/2)*2`,
    x: `floor((iw-ow)*${num(w.fx)}/2)*2`,
    y: `floor((ih-oh)*${num(w.fy)}/2)*2`,
  };
}
