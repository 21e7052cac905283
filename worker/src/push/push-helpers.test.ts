import { describe, expect, it } from "vitest";
import { PushPayloadSchema } from "../../../protocol/index.ts";
import { PortholeError } from "../errors.ts";
import { CAMERA_PUSH_INTERVAL_MS, decideCameraPush, NO_PUSH_YET, summaryAt, takeSummary } from "./camera-push-window.ts";
import { checkPushEndpoint } from "./push-endpoint.ts";
import { encodePushPayload, pushPayload } from "./push-payload.ts";
import { isQuietNow, isTimeZone, localMinutes } from "./quiet-hours.ts";

describe("push endpoints", () => {
  it("takes an https endpoint and refuses http, credentials and overlong URLs with push_endpoint_invalid", () => {
    expect(checkPushEndpoint("https://fcm.googleapis.com/fcm/send/abc").hostname).toBe("fcm.googleapis.com");
    for (const bad of ["http://push.example.net/x", "https://u:p@push.example.net/x", `https://push.example.net/${"a".repeat(1100)}`, "not a url", "javascript:alert(1)"]) {
      expect(() => checkPushEndpoint(bad)).toThrow(PortholeError);
      try {
        checkPushEndpoint(bad);
      } catch (err) {
        expect((err as PortholeError).code).toBe("push_endpoint_invalid");
      }
    }
  });

  it("allows plain http only for the loopback origin PUSH_TEST_ORIGIN names", () => {
    const env = { PUSH_TEST_ORIGIN: "http://127.0.0.1:9999" };
    expect(checkPushEndpoint("http://127.0.0.1:9999/push/1", env).port).toBe("9999");
    expect(() => checkPushEndpoint("http://127.0.0.1:9998/push/1", env)).toThrow(PortholeError);
    expect(() => checkPushEndpoint("http://push.example.net/push/1", { PUSH_TEST_ORIGIN: "http://push.example.net" })).toThrow(PortholeError);
  });
});

describe("quiet hours", () => {
  // 2026-12-07T22:30:00Z is 23:30 in Paris (CET, UTC+1) and 07:30 next morning in Tokyo.
  const at = Date.parse("2026-12-07T22:30:00Z");

  it("reads the local time in the browser's own time zone", () => {
    expect(localMinutes(at, "Europe/Paris")).toBe(23 * 60 + 30);
    expect(localMinutes(at, "Asia/Tokyo")).toBe(7 * 60 + 30);
    expect(isTimeZone("Europe/Paris")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });

  it("is quiet inside a span that crosses midnight and not outside it", () => {
    expect(isQuietNow(at, "Europe/Paris", 22 * 60, 7 * 60)).toBe(true);
    expect(isQuietNow(at, "Asia/Tokyo", 22 * 60, 7 * 60)).toBe(false);
    expect(isQuietNow(at, "Asia/Tokyo", 7 * 60, 8 * 60)).toBe(true);
    expect(isQuietNow(at, "Europe/Paris", null, null)).toBe(false);
    expect(isQuietNow(at, "Europe/Paris", 600, 600)).toBe(false);
  });
});

describe("the camera's notification window", () => {
  const ev = (i: number) => ({ id: `ev-${i}`, startedAt: new Date(1_000_000 + i * 2000).toISOString() });

  it("sends the first event, holds back the next ones for a minute, then sends one that counts them", () => {
    let w = NO_PUSH_YET;
    const t0 = 1_000_000;
    const first = decideCameraPush(w, t0, ev(0));
    expect(first).toMatchObject({ send: true, more: 0 });
    w = first.next;
    // A windy tree: an event every 2 s for a minute.
    let sent = 0;
    for (let i = 1, t = t0 + 2000; t < t0 + CAMERA_PUSH_INTERVAL_MS; t += 2000, i++) {
      const d = decideCameraPush(w, t, ev(i));
      if (d.send) sent++;
      w = d.next;
    }
    expect(sent).toBe(0);
    expect(summaryAt(w)).toBe(t0 + CAMERA_PUSH_INTERVAL_MS);
    const summary = decideCameraPush(w, t0 + CAMERA_PUSH_INTERVAL_MS, ev(30));
    expect(summary).toMatchObject({ send: true, more: 29 });
    expect(summary.next).toEqual({ sentAt: t0 + CAMERA_PUSH_INTERVAL_MS, suppressed: 0, lastHeld: null });
  });

  it("sends a summary of the held events on its own when the minute is over and the tree is still", () => {
    const t0 = 1_000_000;
    let w = decideCameraPush(NO_PUSH_YET, t0, ev(0)).next;
    for (let i = 1; i <= 3; i++) w = decideCameraPush(w, t0 + i * 1000, ev(i)).next;
    expect(takeSummary(w, t0 + CAMERA_PUSH_INTERVAL_MS - 1)).toBeUndefined();
    const s = takeSummary(w, t0 + CAMERA_PUSH_INTERVAL_MS);
    // The latest held event, and the two others before it.
    expect(s).toMatchObject({ event: ev(3), more: 2 });
    expect(summaryAt(s!.next)).toBeNull();
    expect(takeSummary(s!.next, t0 + 10 * CAMERA_PUSH_INTERVAL_MS)).toBeUndefined();
  });
});

describe("the notification payload", () => {
  it("holds the camera name, the event time and ids only — never a picture", () => {
    const p = pushPayload({ serial: "PH-1", cameraName: "Front door", eventId: "ev_1", startedAt: "2026-12-07T19:00:00.000Z" }, 2);
    expect(Object.keys(p).sort()).toEqual(["cameraName", "eventId", "more", "serial", "startedAt", "v"]);
    expect(PushPayloadSchema.parse(p)).toEqual(p);
    const bytes = encodePushPayload(p);
    expect(bytes.length).toBeLessThan(300);
    expect(new TextDecoder().decode(bytes)).not.toMatch(/jpe?g|thumbnail|image|data:|base64/i);
    // The schema itself refuses any other member (a thumbnail could not be slipped in).
    expect(PushPayloadSchema.safeParse({ ...p, thumbnail: "/9j/4AAQ" }).success).toBe(false);
  });
});
