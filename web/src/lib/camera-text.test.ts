import { describe, expect, it } from "vitest";
import type { SessionRecord } from "../../../protocol/accounts.ts";
import { cameraStatus, describeSessionRecord, formatDuration, viewersText } from "./camera-text.ts";

const NOW = Date.parse("2026-11-20T12:00:00Z");
const OPTS = { locale: "en-GB", timeZone: "UTC" };

describe("camera text", () => {
  it("shows viewer slots as n/max", () => {
    expect(viewersText(2, 3)).toBe("2/3 watching");
  });

  it("says online, when an offline camera was last seen, or that it never connected", () => {
    expect(cameraStatus({ online: true, lastSeenAt: null }, NOW)).toEqual({ tone: "online", text: "Online" });
    expect(cameraStatus({ online: false, lastSeenAt: "2026-11-20T11:48:00Z" }, NOW)).toEqual({ tone: "offline", text: "Offline · last seen 12 min ago" });
    expect(cameraStatus({ online: false, lastSeenAt: null }, NOW)).toEqual({ tone: "never", text: "Never connected" });
  });

  it("formats durations in seconds, minutes and hours", () => {
    expect(formatDuration(4_400)).toBe("4 s");
    expect(formatDuration(12 * 60_000)).toBe("12 min");
    expect(formatDuration(65 * 60_000)).toBe("1 h 5 min");
    expect(formatDuration(120 * 60_000)).toBe("2 h");
  });
});

describe("describeSessionRecord", () => {
  const base: SessionRecord = {
    sessionId: "sess-00000001",
    email: "bob@example.com",
    role: "viewer",
    startedAt: "2026-11-20T11:30:00Z",
    endedAt: "2026-11-20T11:42:00Z",
    durationMs: 12 * 60_000,
    path: "lan",
    endReason: "bye",
    report: null,
  };

  it("says who watched, when, for how long and over which path", () => {
    expect(describeSessionRecord(base, NOW, OPTS)).toEqual({ who: "bob@example.com", when: "30 min ago", duration: "12 min", path: "LAN" });
  });

  it("describes an access-code session still running, and an older one by date", () => {
    const row = describeSessionRecord({ ...base, email: null, role: "code", endedAt: null, durationMs: null, path: null, startedAt: "2026-11-18T09:05:00Z" }, NOW, OPTS);
    expect(row).toEqual({ who: "Someone with the access code", when: "18 Nov, 09:05", duration: "watching now", path: "—" });
  });
});
