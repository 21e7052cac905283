import { describe, expect, it, vi } from "vitest";
import { toggleFullscreen, type FullscreenBox, type FullscreenDocument, type FullscreenVideo } from "./fullscreen.ts";

function box() {
  return { requestFullscreen: vi.fn<() => Promise<void>>(() => Promise.resolve()) } satisfies FullscreenBox;
}
function iPhoneVideo(ready = true) {
  return { webkitEnterFullscreen: vi.fn<() => void>(), webkitSupportsFullscreen: ready } satisfies FullscreenVideo;
}

describe("toggleFullscreen", () => {
  it("puts the picture's box in full screen where the element API exists", () => {
    const b = box();
    const v = iPhoneVideo();
    expect(toggleFullscreen("element", {}, b, v)).toBe("entered");
    expect(b.requestFullscreen).toHaveBeenCalledOnce();
    expect(v.webkitEnterFullscreen).not.toHaveBeenCalled();
  });

  it("leaves full screen when the page is already in it", () => {
    const doc: FullscreenDocument = { fullscreenElement: {}, exitFullscreen: vi.fn(() => Promise.resolve()) };
    const b = box();
    expect(toggleFullscreen("element", doc, b, null)).toBe("exited");
    expect(doc.exitFullscreen).toHaveBeenCalledOnce();
    expect(b.requestFullscreen).not.toHaveBeenCalled();
  });

  it("uses the prefixed API where only webkitRequestFullscreen exists", () => {
    const b: FullscreenBox = { webkitRequestFullscreen: vi.fn() };
    expect(toggleFullscreen("element", {}, b, null)).toBe("entered");
    expect(b.webkitRequestFullscreen).toHaveBeenCalledOnce();
  });

  it("does not throw when requestFullscreen rejects (no user gesture, iframe)", async () => {
    const b: FullscreenBox = { requestFullscreen: () => Promise.reject(new TypeError("denied")) };
    expect(toggleFullscreen("element", {}, b, null)).toBe("entered");
    await new Promise((r) => setTimeout(r, 0)); // an unhandled rejection would fail the run
  });

  it("uses the video element's own player on iPhone", () => {
    const v = iPhoneVideo();
    expect(toggleFullscreen("video", {}, { }, v)).toBe("entered");
    expect(v.webkitEnterFullscreen).toHaveBeenCalledOnce();
  });

  it("does nothing on iPhone before the video has metadata", () => {
    const v = iPhoneVideo(false);
    expect(toggleFullscreen("video", {}, null, v)).toBe("unavailable");
    expect(v.webkitEnterFullscreen).not.toHaveBeenCalled();
  });

  it("reports unavailable instead of throwing when webkitEnterFullscreen throws", () => {
    const v: FullscreenVideo = {
      webkitEnterFullscreen: () => {
        throw new DOMException("not ready", "InvalidStateError");
      },
    };
    expect(toggleFullscreen("video", {}, null, v)).toBe("unavailable");
  });

  it("reports unavailable when the browser has no fullscreen at all", () => {
    expect(toggleFullscreen(null, {}, box(), iPhoneVideo())).toBe("unavailable");
  });
});
