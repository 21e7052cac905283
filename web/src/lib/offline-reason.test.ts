import { describe, expect, it } from "vitest";
import { CONNECTION_END_REASONS, type CameraDiagnostics, type ConnectionRecord } from "../../../protocol/camera-diagnostics.ts";
import { describeConnection, doctorSummaryText, explainOffline, lastOnlineText, natText } from "./offline-reason.ts";

const NOW = Date.parse("2026-11-20T12:00:00Z");
const OPTS = { locale: "en-GB", timeZone: "UTC" };

function ended(reason: ConnectionRecord["reason"], closeCode: number | null = 1000): ConnectionRecord {
  return { connectedAt: "2026-11-20T09:00:00Z", endedAt: "2026-11-20T11:48:30Z", lastSeenAt: "2026-11-20T11:48:00Z", reason, closeCode };
}

function diag(over: Partial<CameraDiagnostics> = {}): CameraDiagnostics {
  return { serial: "CAM-1", online: false, revoked: false, lastOnlineAt: "2026-11-20T11:48:00Z", connections: [ended("stopped-answering", 4408)], nat: null, doctor: null, ...over };
}

describe("explainOffline", () => {
  it("says nothing while the camera is online", () => {
    expect(explainOffline(diag({ online: true }))).toBeNull();
  });

  it("says a camera that never connected has never come online, and how to set it up", () => {
    const e = explainOffline(diag({ connections: [], lastOnlineAt: null }))!;
    expect(e.kind).toBe("never-connected");
    expect(e.headline).toBe("This camera has never come online");
    expect(e.checklist[0]).toMatch(/^Check that it is powered and set up with its serial and device token/);
  });

  it("sends a camera that stopped answering to its power, Wi-Fi or cable, router and internet", () => {
    const e = explainOffline(diag())!;
    expect(e.kind).toBe("stopped-answering");
    expect(e.headline).toBe("The camera stopped answering");
    expect(e.checklist.join(" ")).toMatch(/power.*Wi-Fi or network cable.*router.*internet/);
  });

  it("sends a revoked camera to its vendor, even when its last connection ended otherwise", () => {
    for (const d of [diag({ connections: [ended("token-revoked", 4403)] }), diag({ revoked: true })]) {
      const e = explainOffline(d)!;
      expect(e.headline).toBe("This camera was revoked by its vendor");
      expect(e.checklist).toEqual(["Contact the camera's vendor (its maker or seller): only they can restore it."]);
    }
  });

  it("says another device or a restart took over a replaced camera", () => {
    expect(explainOffline(diag({ connections: [ended("replaced", 4000)] }))!.detail).toMatch(/the camera restarted, or another device is using its identity/);
  });

  it("says an edge restart heals itself within a minute", () => {
    expect(explainOffline(diag({ connections: [ended("edge-restart", null)] }))!.checklist[0]).toBe("It should reconnect within a minute on its own.");
  });

  it("asks for a software update after a protocol error, and says a clean stop means it was turned off", () => {
    expect(explainOffline(diag({ connections: [ended("protocol-error", 1008)] }))!.checklist[0]).toBe("Update the camera's software (firmware).");
    expect(explainOffline(diag({ connections: [ended("clean-stop")] }))!.headline).toBe("The camera was turned off or its software stopped");
  });

  it("has words and a checklist for every reason the edge records", () => {
    for (const reason of CONNECTION_END_REASONS) {
      const e = explainOffline(diag({ connections: [ended(reason)] }))!;
      expect(e.kind).toBe(reason);
      expect(e.headline.length).toBeGreaterThan(0);
      expect(e.checklist.length).toBeGreaterThan(0);
    }
  });

  it("says a camera whose last connection never finished starting is not connected", () => {
    expect(explainOffline(diag({ connections: [{ ...ended(null), endedAt: null }] }))!.kind).toBe("not-connected");
  });
});

describe("history, last online, NAT and doctor lines", () => {
  it("says when the camera was last online", () => {
    expect(lastOnlineText(diag(), NOW, OPTS)).toBe("Last online 12 min ago");
    expect(lastOnlineText(diag({ online: true }), NOW, OPTS)).toBe("Online now");
    expect(lastOnlineText(diag({ lastOnlineAt: null }), NOW, OPTS)).toBe("Never online");
  });

  it("describes each connection by how it ended, when it was last seen and how long it lasted", () => {
    expect(describeConnection(ended("stopped-answering", 4408), NOW, OPTS)).toEqual({ reason: "Stopped answering", when: "last seen 12 min ago · connected for 2 h 48 min · close 4408" });
    expect(describeConnection(ended("edge-restart", null), NOW, OPTS).when).toBe("last seen 12 min ago · connected for 2 h 48 min");
    expect(describeConnection({ ...ended(null), endedAt: null }, NOW, OPTS)).toEqual({ reason: "Connected", when: "since 3 h ago" });
  });

  it("names the NAT type as RFC 3489 does, with when it was reported", () => {
    const nat = { natType: "port-restricted-cone" as const, mapping: "endpoint-independent" as const, filtering: "address-and-port-dependent" as const, hairpinning: true, udpBlocked: false, rfc5780: true, at: 0, receivedAt: "2026-11-20T10:00:00Z" };
    expect(natText(nat, NOW, OPTS)).toBe("Port-restricted cone NAT (reported 2 h ago)");
    expect(natText({ ...nat, natType: "symmetric", hairpinning: false }, NOW, OPTS)).toBe("Symmetric NAT; no hairpinning (reported 2 h ago)");
    expect(natText(null, NOW, OPTS)).toBeNull();
  });

  it("sums up the doctor run with the first failure, else the first warning", () => {
    const checks = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, status: "pass" as const, title: `Check ${i}`, summary: "ok" })),
      { id: "nat_type", status: "warn" as const, title: "NAT type", summary: "Symmetric NAT." },
      { id: "turn_udp", status: "fail" as const, title: "TURN over UDP", summary: "No answer from turn.example:3478." },
    ];
    const doctor = { receivedAt: "2026-11-20T10:00:00Z", checks };
    expect(doctorSummaryText(doctor, NOW, OPTS)).toBe("Doctor, run 2 h ago: 10 pass, 1 warn, 1 fail — TURN over UDP failed: No answer from turn.example:3478.");
    expect(doctorSummaryText({ ...doctor, checks: checks.slice(0, 11) }, NOW, OPTS)).toBe("Doctor, run 2 h ago: 10 pass, 1 warn, 0 fail — NAT type: Symmetric NAT.");
    expect(doctorSummaryText({ ...doctor, checks: [...checks.slice(0, 2), { id: "x", status: "skip", title: "X", summary: "Not run." }] }, NOW, OPTS)).toBe("Doctor, run 2 h ago: 2 pass, 0 warn, 0 fail, 1 skipped — every check passed.");
    expect(doctorSummaryText(null, NOW, OPTS)).toBeNull();
  });
});
