// Why: a downloaded snapshot should say which camera and when, in the viewer's own clock, and
// sort by time in a folder: "<serial>-2026-11-26_17-05-09.jpg".

const two = (n: number): string => String(n).padStart(2, "0");

/** File name for a snapshot of `serial` taken at `at` (local time of this browser). */
export function snapshotFileName(serial: string, at: Date): string {
  // Serials are [A-Z0-9-]; anything else would be unsafe in a file name on some system.
  const safe = serial.replace(/[^A-Za-z0-9_-]/g, "") || "camera";
  const date = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  const time = `${two(at.getHours())}-${two(at.getMinutes())}-${two(at.getSeconds())}`;
  return `${safe}-${date}_${time}.jpg`;
}

/** "48 KB" / "1.2 MB" for the progress and preview caption. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
