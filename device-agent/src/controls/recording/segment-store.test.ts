import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../log.ts";
import { createClipHub } from "./fake-clip-hub.ts";
import { scanFragmentedMp4 } from "./fmp4-scan.ts";
import { startRecorder } from "./recorder.ts";
import { openSegmentStore } from "./segment-store.ts";

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), "porthole-store-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = 1_764_000_000_000;

/** One real 6 s segment's bytes (init + fragments), recorded from the demo clip. */
async function recordedSegment(): Promise<Buffer> {
  const s = openSegmentStore(tmp());
  const clip = createClipHub({ startWall: T0 });
  const r = startRecorder({ store: s, hub: clip.hub, logger: silentLogger, now: clip.now, segmentMs: 1_000 });
  clip.advance(6_100);
  await r.stop();
  return readFileSync(path.join(s.dir, `${s.list()[0]!.id}.mp4`));
}

describe("segment store", () => {
  it("salvages a .part cut mid-fragment to its last complete fragment, named with the time it reaches", async () => {
    const whole = await recordedSegment();
    const dir = tmp();
    // A kill -9 in the middle of writing a fragment.
    writeFileSync(path.join(dir, `${T0}.mp4.part`), whole.subarray(0, Math.floor(whole.length * 0.7)));
    const store = openSegmentStore(dir);
    const report = store.recoverParts();
    expect(report.removed).toEqual([]);
    expect(report.salvaged).toHaveLength(1);
    const seg = report.salvaged[0]!;
    expect(seg.start).toBe(T0);
    expect(seg.end - T0).toBeGreaterThan(2_000);
    expect(seg.end - T0).toBeLessThan(5_000);
    expect(store.list()).toEqual([seg]);
    const bytes = readFileSync(path.join(dir, `${seg.id}.mp4`));
    expect(scanFragmentedMp4(bytes).validBytes).toBe(bytes.length);
    expect(readdirSync(dir).some((n) => n.endsWith(".part"))).toBe(false);
  });

  it("deletes a .part with no complete fragment (only the header, or garbage)", async () => {
    const whole = await recordedSegment();
    const dir = tmp();
    const initEnd = whole.indexOf(Buffer.from("moof")) - 4;
    writeFileSync(path.join(dir, `${T0}.mp4.part`), whole.subarray(0, initEnd + 100));
    writeFileSync(path.join(dir, `${T0 + 1}.mp4.part`), Buffer.alloc(4096));
    const store = openSegmentStore(dir);
    expect(store.recoverParts().removed.sort()).toEqual([`${T0}.mp4.part`, `${T0 + 1}.mp4.part`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reads only listed segments: ids that are not in the listing get nothing", async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "1000-2000.mp4"), "segment");
    writeFileSync(path.join(dir, "settings.json"), "{}");
    const store = openSegmentStore(dir);
    expect(store.list()).toEqual([{ id: "1000-2000", start: 1000, end: 2000, bytes: 7 }]);
    expect((await store.read("1000-2000"))?.toString()).toBe("segment");
    for (const id of ["1000-2001", "../settings", "settings.json", "1000-2000.mp4"]) expect(await store.read(id)).toBeNull();
  });

  it("lists a segment only once it is finished", async () => {
    const store = openSegmentStore(tmp());
    const part = store.createPart(5000);
    part.append(Buffer.from("x"), true);
    await new Promise((r) => setTimeout(r, 20));
    expect(store.list()).toEqual([]);
    const seg = await part.finish(6000);
    expect(store.list()).toEqual([seg]);
  });
});
