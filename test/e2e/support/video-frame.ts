// Why: "a video frame is decoded and is not blank" must be checked on real pixels: draw the
// <video> into a canvas inside the page and measure the picture.
import type { PageLike } from "./page-like.ts";

export interface FrameStats {
  width: number;
  height: number;
  /** Mean luma 0–255. */
  mean: number;
  /** Standard deviation of luma: ~0 for a flat (black, grey, green) picture. */
  stddev: number;
  /** Distinct 16-level luma buckets seen: a real picture spans many. */
  buckets: number;
}

export async function sampleVideoFrame(page: PageLike, selector = "video"): Promise<FrameStats> {
  return page.$eval(selector, (node) => {
    const video = node as HTMLVideoElement;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (!width || !height) return { width, height, mean: 0, stddev: 0, buckets: 0 };
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("no 2d context");
    ctx.drawImage(video, 0, 0, width, height);
    const { data } = ctx.getImageData(0, 0, width, height);
    let sum = 0;
    let sumSq = 0;
    const seen = new Set<number>();
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
      sum += y;
      sumSq += y * y;
      seen.add(Math.floor(y / 16));
    }
    const mean = sum / n;
    return { width, height, mean, stddev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), buckets: seen.size };
  });
}

/**
 * A small luma fingerprint of the current frame (64×36), to tell whether the picture changes.
 * The demo's moving parts are small, so the whole-frame average distance is small but non-zero.
 */
export async function frameFingerprint(page: PageLike, selector = "video"): Promise<number[]> {
  return page.$eval(selector, (node) => {
    const video = node as HTMLVideoElement;
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 36;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("no 2d context");
    ctx.drawImage(video, 0, 0, 64, 36);
    const { data } = ctx.getImageData(0, 0, 64, 36);
    const out: number[] = [];
    for (let i = 0; i < data.length; i += 4) out.push(0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0));
    return out;
  });
}

/** Frames the <video> has presented so far and its playback clock: both grow while live. */
export async function playbackProgress(page: PageLike, selector = "video"): Promise<{ frames: number; time: number }> {
  return page.$eval(selector, (node) => {
    const video = node as HTMLVideoElement & { mozPaintedFrames?: number };
    // Firefox counts no frame of a MediaStream (WebRTC) video in getVideoPlaybackQuality():
    // it stays 0 while the picture plays. Its own mozPaintedFrames does count them.
    const frames = Math.max(video.getVideoPlaybackQuality().totalVideoFrames, video.mozPaintedFrames ?? 0);
    return { frames, time: video.currentTime };
  });
}

export function fingerprintDistance(a: number[], b: number[]): number {
  let d = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) d += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return d / Math.max(1, Math.min(a.length, b.length));
}
