// Why: an over-size Worker or asset set is refused at upload, after the database was created and
// the migrations applied; checking the built output first fails the deploy before any change.
// Limits from https://developers.cloudflare.com/workers/platform/limits/ (2026-12): Worker size
// after compression 3 MB (Free) / 10 MB (Paid); static assets 20,000 (Free) / 100,000 (Paid)
// files per version, 25 MiB each. Cloudflare has announced one 64 MiB uncompressed limit instead
// (cloudflare-docs#31002, not yet on the limits page); we keep the stricter compressed one and
// check the uncompressed one too, so the check holds under either.
export type WorkersPlan = "free" | "paid";

export const WORKERS_LIMITS = {
  free: { workerGzipBytes: 3_000_000, assetFiles: 20_000 },
  paid: { workerGzipBytes: 10_000_000, assetFiles: 100_000 },
  workerRawBytes: 64 * 1024 * 1024,
  assetFileBytes: 25 * 1024 * 1024,
} as const;

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
}

export interface AssetFile {
  path: string;
  bytes: number;
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The reason the Worker bundle is too big for `plan`, or null when it fits. */
export function bundleSizeProblem(size: BundleSize, plan: WorkersPlan): string | null {
  const limit = WORKERS_LIMITS[plan].workerGzipBytes;
  if (size.gzipBytes > limit) {
    return `the Worker bundle is ${kib(size.gzipBytes)} gzipped, over the Workers ${plan} plan's ${limit / 1_000_000} MB limit${plan === "free" ? " (pass --paid on a Workers Paid account: 10 MB)" : ""}`;
  }
  if (size.rawBytes > WORKERS_LIMITS.workerRawBytes) {
    return `the Worker bundle is ${kib(size.rawBytes)} uncompressed, over the 64 MiB limit`;
  }
  return null;
}

/** Every reason the static assets cannot be uploaded for `plan` (empty when they can). */
export function assetProblems(files: readonly AssetFile[], plan: WorkersPlan): string[] {
  const problems: string[] = [];
  if (!files.some((f) => f.path === "index.html")) problems.push("the assets directory has no index.html: was the PWA built?");
  const max = WORKERS_LIMITS[plan].assetFiles;
  if (files.length > max) problems.push(`${files.length} asset files, over the ${plan} plan's ${max}`);
  for (const f of files) {
    if (f.bytes > WORKERS_LIMITS.assetFileBytes) problems.push(`asset ${f.path} is ${kib(f.bytes)}, over the 25 MiB per-file limit`);
  }
  return problems;
}
