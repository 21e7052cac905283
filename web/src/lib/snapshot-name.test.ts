import { describe, expect, it } from "vitest";
import { formatBytes, snapshotFileName } from "./snapshot-name.ts";

describe("snapshot file name", () => {
  it("names the camera and the local time, sortable", () => {
    expect(snapshotFileName("PH-7KQ2-93XD", new Date(2026, 10, 6, 7, 5, 9))).toBe("PH-7KQ2-93XD-2026-11-06_07-05-09.jpg");
  });

  it("keeps only safe characters of the serial", () => {
    expect(snapshotFileName("../a b/c", new Date(2026, 0, 1, 0, 0, 0))).toBe("abc-2026-01-01_00-00-00.jpg");
    expect(snapshotFileName("", new Date(2026, 0, 1, 0, 0, 0))).toBe("camera-2026-01-01_00-00-00.jpg");
  });

  it("formats sizes in bytes, KB and MB", () => {
    expect(formatBytes(900)).toBe("900 B");
    expect(formatBytes(48 * 1024)).toBe("48 KB");
    expect(formatBytes(1.25 * 1024 * 1024)).toBe("1.3 MB");
  });
});
