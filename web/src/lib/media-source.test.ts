import { describe, expect, it } from "vitest";
import { evictedSegments, mayFetchAhead, mediaSourceCtor, openMediaSource, type MediaSourceCtor, type Ranges } from "./media-source.ts";

function fakeCtor(name: string): MediaSourceCtor & { made: number } {
  const ctor = class {
    readonly kind = name;
    constructor() {
      ctor.made++;
    }
    static made = 0;
    static isTypeSupported = () => true;
  };
  return ctor as unknown as MediaSourceCtor & { made: number };
}

const ranges = (...r: [number, number][]): Ranges => ({ length: r.length, start: (i) => r[i]![0], end: (i) => r[i]![1] });

describe("mediaSourceCtor", () => {
  it("picks ManagedMediaSource when that is what the browser has", () => {
    const managed = fakeCtor("managed");
    expect(mediaSourceCtor("ManagedMediaSource", { ManagedMediaSource: managed })).toBe(managed);
  });

  it("gives null instead of throwing when the constructor is missing", () => {
    expect(mediaSourceCtor("MediaSource", {})).toBeNull();
    expect(mediaSourceCtor(null, { MediaSource: fakeCtor("mse") })).toBeNull();
  });
});

describe("openMediaSource", () => {
  it("sets disableRemotePlayback before attaching a ManagedMediaSource", () => {
    const video = { src: "", disableRemotePlayback: false };
    let disabledWhenAttached: boolean | null = null;
    const opened = openMediaSource(fakeCtor("managed"), true, video, () => {
      disabledWhenAttached = video.disableRemotePlayback;
      return "blob:managed";
    });
    expect(disabledWhenAttached).toBe(true);
    expect(video.src).toBe("blob:managed");
    expect(opened).toMatchObject({ url: "blob:managed", managed: true });
  });

  it("leaves remote playback alone for a plain MediaSource", () => {
    const video = { src: "", disableRemotePlayback: false };
    openMediaSource(fakeCtor("mse"), false, video, () => "blob:mse");
    expect(video.disableRemotePlayback).toBe(false);
    expect(video.src).toBe("blob:mse");
  });
});

describe("mayFetchAhead", () => {
  it("stops fetching ahead while a managed source says streaming is not wanted", () => {
    expect(mayFetchAhead({ streaming: false }, true)).toBe(false);
    expect(mayFetchAhead({ streaming: true }, true)).toBe(true);
  });

  it("always fetches ahead with a plain MediaSource", () => {
    expect(mayFetchAhead({}, false)).toBe(true);
  });

  it("fetches nothing without a source", () => {
    expect(mayFetchAhead(null, false)).toBe(false);
  });
});

describe("evictedSegments", () => {
  const epoch = 1_000_000;
  const segs = [
    { id: "a", start: epoch, end: epoch + 10_000 },
    { id: "b", start: epoch + 10_000, end: epoch + 20_000 },
    { id: "c", start: epoch + 30_000, end: epoch + 40_000 },
  ];

  it("names loaded segments the browser evicted from the buffer", () => {
    expect(evictedSegments(segs, new Set(["a", "b", "c"]), ranges([10, 20], [30, 40]), epoch)).toEqual(["a"]);
  });

  it("keeps segments that are still buffered, allowing rounding at their edges", () => {
    expect(evictedSegments(segs, new Set(["a", "b"]), ranges([0.2, 19.8]), epoch)).toEqual([]);
  });

  it("ignores segments that were never loaded", () => {
    expect(evictedSegments(segs, new Set(["b"]), ranges(), epoch)).toEqual(["b"]);
  });
});
