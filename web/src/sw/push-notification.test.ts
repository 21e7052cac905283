import { describe, expect, it } from "vitest";
import { PushPayloadSchema } from "../../../protocol/push.ts";
import { clickTarget, notificationFor, readPayload } from "./push-notification.ts";

const payload = { v: 1, serial: "PH-1", cameraName: "Front door", eventId: "ev_7", startedAt: "2026-12-07T19:04:00.000Z", more: 0 };

describe("a push notification", () => {
  it("is titled with the camera's name and says the event's time, tagged per camera, opening the event", () => {
    const n = notificationFor(JSON.stringify(payload), { locale: "en-GB", timeZone: "UTC" });
    expect(n.title).toBe("Front door");
    expect(n.options.body).toBe("Motion at 19:04");
    expect(n.options.tag).toBe("camera:PH-1");
    expect(n.options.timestamp).toBe(Date.parse(payload.startedAt));
    expect(n.options.data).toEqual({ url: "/cameras/PH-1?event=ev_7" });
  });

  it("counts the events the rate limit held back", () => {
    expect(notificationFor(JSON.stringify({ ...payload, more: 12 }), { locale: "en-GB", timeZone: "UTC" }).options.body).toBe("Motion at 19:04 (and 12 more since the last notification)");
  });

  it("still says something happened when the push cannot be read", () => {
    for (const text of [null, "not json", JSON.stringify({ ...payload, thumbnail: "/9j/" })]) {
      const n = notificationFor(text, { now: 5 });
      expect(n.title).toBe("Porthole");
      expect(n.options.data.url).toBe("/");
    }
  });

  it("opens only a path of this app when tapped", () => {
    expect(clickTarget({ url: "/cameras/PH-1?event=ev_7" }, "https://porthole.example")).toBe("https://porthole.example/cameras/PH-1?event=ev_7");
    expect(clickTarget({ url: "https://evil.example/" }, "https://porthole.example")).toBe("https://porthole.example/");
    expect(clickTarget({ url: "//evil.example/x" }, "https://porthole.example")).toBe("https://porthole.example/");
    expect(clickTarget(null, "https://porthole.example")).toBe("https://porthole.example/");
  });
});

describe("the service worker's payload check", () => {
  it("accepts exactly what the protocol's PushPayloadSchema accepts", () => {
    const cases: unknown[] = [
      payload,
      { ...payload, more: 3 },
      { ...payload, thumbnail: "/9j/" },
      { ...payload, v: 2 },
      { ...payload, eventId: "ev 7" },
      { ...payload, more: -1 },
      { ...payload, cameraName: "x".repeat(129) },
      { ...payload, serial: "" },
      null,
      [payload],
    ];
    for (const c of cases) expect(readPayload(c) !== null, JSON.stringify(c)?.slice(0, 60)).toBe(PushPayloadSchema.safeParse(c).success);
  });
});
