import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../log.ts";
import { createClipHub } from "./fake-clip-hub.ts";
import { mp4MimeType, scanFragmentedMp4 } from "./fmp4-scan.ts";
import { startRecorder } from "./recorder.ts";
import { openSegmentStore } from "./segment-store.ts";

const dirs: string[] = [];
function store() {
  const dir = mkdtempSync(path.join(tmpdir(), "porthole-rec-"));
  dirs.push(dir);
  return openSegmentStore(dir);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The demo clip has one keyframe every 6 s (90 frames at 15 fps). */
const T0 = 1_764_000_000_000;

describe("recorder", () => {
  it("cuts segments at the first keyframe after the target length, back to back in wall-clock time", async () => {
    const s = store();
    const clip = createClipHub({ startWall: T0 });
    const r = startRecorder({ store: s, hub: clip.hub, logger: silentLogger, now: clip.now, segmentMs: 10_000 });
    clip.advance(29_900);
    await r.stop();
    const list = s.list();
    expect(list.map((x) => [x.start - T0, x.end - T0])).toEqual([
      [0, 12_000],
      [12_000, 24_000],
      [24_000, 29_933], // the last frame (29 867 ms) lasts one frame
    ]);
    expect(readdirSync(s.dir).filter((n) => n.endsWith(".part"))).toEqual([]);
  });

  it("writes complete fMP4 files whose codecs string matches the stream (H.264 and Opus)", async () => {
    const s = store();
    const clip = createClipHub({ startWall: T0 });
    const r = startRecorder({ store: s, hub: clip.hub, logger: silentLogger, now: clip.now, segmentMs: 5_000 });
    clip.advance(13_000);
    await r.stop();
    for (const seg of s.list()) {
      const bytes = readFileSync(path.join(s.dir, `${seg.id}.mp4`));
      expect(bytes.length).toBe(seg.bytes);
      const scan = scanFragmentedMp4(bytes);
      expect(scan.validBytes).toBe(bytes.length);
      expect(scan.fragments).toBeGreaterThanOrEqual(Math.floor((seg.end - seg.start) / 1000)); // ≤ 1 s per fragment
      expect(Math.round(scan.videoMs)).toBe(seg.end - seg.start);
      expect(mp4MimeType(bytes)).toBe('video/mp4; codecs="avc1.42c01f,opus"');
    }
  });

  it("records video only when the source has no audio", async () => {
    const s = store();
    const clip = createClipHub({ startWall: T0, audio: false });
    const r = startRecorder({ store: s, hub: clip.hub, logger: silentLogger, now: clip.now });
    clip.advance(7_000);
    await r.stop();
    const [seg] = s.list();
    expect(mp4MimeType(readFileSync(path.join(s.dir, `${seg!.id}.mp4`)))).toBe('video/mp4; codecs="avc1.42c01f"');
  });

  it("starts from the hub's keyframe replay, dated when that keyframe was sent", async () => {
    const s = store();
    const clip = createClipHub({ startWall: T0 });
    clip.advance(2_000); // mid-GOP: the hub holds 2 s since the keyframe
    const r = startRecorder({ store: s, hub: clip.hub, logger: silentLogger, now: clip.now, segmentMs: 10_000 });
    clip.advance(3_000);
    await r.stop();
    const [seg] = s.list();
    expect(seg!.start).toBe(T0);
    expect(seg!.end).toBeGreaterThanOrEqual(T0 + 5_000);
  });

  it("ends the segment when the source's timestamps jump, and starts the next at its next keyframe", async () => {
    const s = store();
    const clip = createClipHub({ startWall: T0 });
    const r = startRecorder({ store: s, hub: clip.hub, logger: silentLogger, now: clip.now, segmentMs: 60_000 });
    clip.advance(3_000);
    clip.jumpVideo(90_000 * 3600); // an hour ahead: a restarted source
    clip.advance(10_000);
    await r.stop();
    const list = s.list();
    expect(list).toHaveLength(2);
    expect(list[0]!.start).toBe(T0);
    expect(list[0]!.end).toBeLessThan(T0 + 3_200);
    // The new timeline is re-anchored to arrival time: the keyframe at 6 s of wall time.
    expect(list[1]!.start).toBe(T0 + 6_000);
  });

  it("finishes nothing and leaves no file when stopped before the first keyframe", async () => {
    const s = store();
    const r = startRecorder({ store: s, hub: createClipHub().hub, logger: silentLogger });
    await r.stop();
    expect(readdirSync(s.dir)).toEqual([]);
  });
});
