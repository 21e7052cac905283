// Why: "the camera panned" must be measured on real pixels, not guessed from "the frame
// changed": a luma grid of the <video>, and the horizontal shift that best aligns two grids.
import type { PageLike } from "./page-like.ts";

export const GRID_W = 160;
export const GRID_H = 90;

export interface LumaGrid {
  width: number;
  height: number;
  luma: number[];
}

export async function lumaGrid(page: PageLike, selector: string): Promise<LumaGrid> {
  return page.$eval(
    selector,
    (node, [w, h]) => {
      const video = node as HTMLVideoElement;
      const canvas = document.createElement("canvas");
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      if (!ctx) throw new Error("no 2d context");
      ctx.drawImage(video, 0, 0, w, h);
      const { data } = ctx.getImageData(0, 0, w, h);
      const luma: number[] = [];
      for (let i = 0; i < data.length; i += 4) luma.push(0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0));
      return { width: w, height: h, luma };
    },
    [GRID_W, GRID_H] as const,
  );
}

export interface Shift {
  /** Columns the content moved right (negative: left) from `a` to `b`. */
  dx: number;
  /** Mean absolute luma difference at that shift, and with no shift. */
  error: number;
  errorAtZero: number;
}

/** Mean |b(x) − a(x − dx)| over the overlap, for one dx. */
function errorAt(a: LumaGrid, b: LumaGrid, dx: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = Math.max(0, dx); x < Math.min(a.width, a.width + dx); x++) {
      sum += Math.abs((b.luma[y * b.width + x] ?? 0) - (a.luma[y * a.width + x - dx] ?? 0));
      n++;
    }
  }
  return n > 0 ? sum / n : Infinity;
}

/** The horizontal shift (within ±maxDx columns) that best aligns `b` with `a`. */
export function estimateShift(a: LumaGrid, b: LumaGrid, maxDx = 48): Shift {
  let best = { dx: 0, error: errorAt(a, b, 0) };
  const errorAtZero = best.error;
  for (let dx = -maxDx; dx <= maxDx; dx++) {
    const e = errorAt(a, b, dx);
    if (e < best.error) best = { dx, error: e };
  }
  return { ...best, errorAtZero };
}

export async function videoSize(page: PageLike, selector: string): Promise<{ width: number; height: number }> {
  return page.$eval(selector, (v) => ({ width: (v as HTMLVideoElement).videoWidth, height: (v as HTMLVideoElement).videoHeight }));
}

export async function waitForVideoSize(page: PageLike, selector: string, width: number, height: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    ([sel, w, h]) => {
      const v = document.querySelector(sel as string) as HTMLVideoElement | null;
      return v?.videoWidth === w && v?.videoHeight === h;
    },
    [selector, width, height] as const,
    { timeout: timeoutMs },
  );
}

/** Mean colour saturation (max−min of R, G, B, 0–255) over a 64×36 sample: ~0 for grayscale. */
export async function meanSaturation(page: PageLike, selector: string): Promise<number> {
  return page.$eval(selector, (node) => {
    const video = node as HTMLVideoElement;
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 36;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("no 2d context");
    ctx.drawImage(video, 0, 0, 64, 36);
    const { data } = ctx.getImageData(0, 0, 64, 36);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      sum += Math.max(r, g, b) - Math.min(r, g, b);
    }
    return sum / (data.length / 4);
  });
}

/** `g` mirrored left↔right. */
export function mirrored(g: LumaGrid): LumaGrid {
  const luma: number[] = [];
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) luma.push(g.luma[y * g.width + (g.width - 1 - x)] ?? 0);
  return { ...g, luma };
}
