import { describe, expect, it } from "vitest";
import type { DevicePresence } from "../../../protocol/http.ts";
import { describePresence, formatRelative } from "./presence-text.ts";

const NOW = Date.parse("2026-11-24T06:00:00Z");
const opts = { locale: "en-GB", timeZone: "UTC" };
const device = (p: Partial<DevicePresence>): DevicePresence => ({
  serial: "PH-0001", name: "Porch", vendor: "acme", online: false, lastSeenAt: null, viewers: 0, ...p,
});

describe("describePresence", () => {
  it("says online and how many people are watching", () => {
    expect(describePresence(device({ online: true, viewers: 2 }), NOW, opts).headline).toBe("Online · 2 viewers watching");
    expect(describePresence(device({ online: true }), NOW, opts)).toMatchObject({ tone: "online", headline: "Online", help: null });
  });

  it("says when an offline camera was last connected and what to check", () => {
    const t = describePresence(device({ lastSeenAt: "2026-11-24T03:00:00Z" }), NOW, opts);
    expect(t.headline).toBe("Offline · last seen 3 h ago");
    expect(t.help).toMatch(/^The camera has not been connected since 24 Nov, 03:00; check that it's plugged in/);
    expect(t.help).toMatch(/Wi-Fi/);
  });

  it("tells a never-connected camera to finish set-up", () => {
    expect(describePresence(device({}), NOW, opts)).toMatchObject({ tone: "never", lastSeen: null });
  });
});

describe("formatRelative", () => {
  it.each([
    [10, "just now"],
    [5 * 60, "5 min ago"],
    [2 * 3600, "2 h ago"],
    [86_400, "yesterday"],
    [5 * 86_400, "5 days ago"],
    [30 * 86_400, "on 25 Oct, 06:00"],
  ])("describes %i s ago as %s", (ago, text) => {
    expect(formatRelative(NOW - ago * 1000, NOW, opts)).toBe(text);
  });
});
