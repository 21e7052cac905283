import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CameraEventIdSchema } from "../../../protocol/index.ts";
import { newEventId, openEventStore } from "./event-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), "porthole-events-"));
  dirs.push(d);
  return d;
};
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

describe("event store", () => {
  it("makes ids the edge accepts", () => {
    expect(CameraEventIdSchema.safeParse(newEventId(Date.now())).success).toBe(true);
  });

  it("deletes an event's thumbnail with it when retention removes the event", () => {
    const dir = tmp();
    const s = openEventStore(dir);
    const old = s.add(1000, null);
    s.update(old.id, { end: 2000 });
    s.setThumbnail(old.id, JPEG, 64, 36);
    const recent = s.add(5000, null);
    s.update(recent.id, { end: 6000 });
    expect(existsSync(path.join(dir, `${old.id}.jpg`))).toBe(true);
    expect(s.applyRetention(7000, { maxCount: 1, maxAgeMs: 1e9 })).toEqual([old.id]);
    expect(existsSync(path.join(dir, `${old.id}.jpg`))).toBe(false);
    expect(s.get(old.id)).toBeUndefined();
    expect(openEventStore(dir).list(0, 1e9, 10).events.map((e) => e.id)).toEqual([recent.id]);
  });

  it("removes thumbnails whose event is gone and starts empty from a corrupt index", () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "index.json"), "{not json");
    writeFileSync(path.join(dir, "m1-aaaaaa.jpg"), JPEG);
    const reasons: string[] = [];
    const s = openEventStore(dir, (r) => reasons.push(r));
    expect(s.list(0, 1e9, 10).events).toEqual([]);
    expect(reasons).toHaveLength(1);
    expect(readdirSync(dir).filter((n) => n.endsWith(".jpg"))).toEqual([]);
  });

  it("has no picture for an event whose thumbnail was never made", () => {
    const s = openEventStore(tmp());
    const e = s.add(1000, null);
    expect(s.readThumbnail(e.id)).toBe(null);
  });
});
