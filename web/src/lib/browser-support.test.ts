import { describe, expect, it } from "vitest";
import { detectBrowserSupport, microphoneUnavailableText, type BrowserEnv } from "./browser-support.ts";

const fn = () => undefined;
class Ctor {}

/** Chromium on a secure page: everything there. */
function chromium(): BrowserEnv {
  return {
    RTCPeerConnection: Ctor,
    MediaSource: Ctor,
    isSecureContext: true,
    PushManager: Ctor,
    Notification: Ctor,
    navigator: { mediaDevices: { getUserMedia: fn }, serviceWorker: {} },
    document: { fullscreenEnabled: true },
    Element: { prototype: { requestFullscreen: fn } },
    HTMLVideoElement: { prototype: {} },
  };
}

/** iPhone Safari 17.1+: ManagedMediaSource only, fullscreen only on the video element. */
function iPhoneSafari(): BrowserEnv {
  return {
    RTCPeerConnection: Ctor,
    ManagedMediaSource: Ctor,
    isSecureContext: true,
    navigator: { mediaDevices: { getUserMedia: fn }, serviceWorker: {} },
    document: {},
    Element: { prototype: {} },
    HTMLVideoElement: { prototype: { webkitEnterFullscreen: fn } },
  };
}

describe("detectBrowserSupport", () => {
  it("finds everything in a full desktop browser", () => {
    expect(detectBrowserSupport(chromium())).toEqual({ webrtc: true, mediaSource: "MediaSource", fullscreen: "element", microphone: "ok", push: true });
  });

  it("prefers MediaSource when a browser has both it and ManagedMediaSource", () => {
    expect(detectBrowserSupport({ ...chromium(), ManagedMediaSource: Ctor }).mediaSource).toBe("MediaSource");
  });

  it("plays recordings with ManagedMediaSource where MediaSource is missing (iPhone)", () => {
    expect(detectBrowserSupport(iPhoneSafari()).mediaSource).toBe("ManagedMediaSource");
  });

  it("reports no recordings playback when neither Media Source constructor exists", () => {
    expect(detectBrowserSupport({ ...iPhoneSafari(), ManagedMediaSource: undefined }).mediaSource).toBeNull();
  });

  it("does not take a non-function MediaSource property for the constructor", () => {
    expect(detectBrowserSupport({ ...chromium(), MediaSource: {} }).mediaSource).toBeNull();
  });

  it("uses the video element's own fullscreen on iPhone", () => {
    expect(detectBrowserSupport(iPhoneSafari()).fullscreen).toBe("video");
  });

  it("uses the prefixed element API where only webkitRequestFullscreen exists (older iPad)", () => {
    const env = { ...iPhoneSafari(), Element: { prototype: { webkitRequestFullscreen: fn } }, document: { webkitFullscreenEnabled: true } };
    expect(detectBrowserSupport(env).fullscreen).toBe("element");
  });

  it("falls back to the video element when the page may not go full screen", () => {
    const env = { ...chromium(), document: { fullscreenEnabled: false }, HTMLVideoElement: { prototype: { webkitEnterFullscreen: fn } } };
    expect(detectBrowserSupport(env).fullscreen).toBe("video");
  });

  it("reports no fullscreen when neither API exists", () => {
    expect(detectBrowserSupport({ ...chromium(), Element: { prototype: {} } }).fullscreen).toBeNull();
  });

  it("reports no WebRTC when RTCPeerConnection is undefined (WebKitGTK)", () => {
    const s = detectBrowserSupport({ ...chromium(), RTCPeerConnection: undefined, ManagedMediaSource: Ctor });
    expect(s.webrtc).toBe(false);
    expect(s.mediaSource).toBe("MediaSource");
  });

  it("says the microphone needs a secure page when mediaDevices is missing on plain http", () => {
    const s = detectBrowserSupport({ ...chromium(), isSecureContext: false, navigator: { serviceWorker: undefined } });
    expect(s.microphone).toBe("insecure");
    expect(microphoneUnavailableText(s.microphone)).toMatch(/https/);
  });

  it("says the browser has no microphone API when getUserMedia is missing on a secure page", () => {
    const s = detectBrowserSupport({ ...chromium(), navigator: { mediaDevices: {}, serviceWorker: {} } });
    expect(s.microphone).toBe("missing");
    expect(microphoneUnavailableText(s.microphone)).toMatch(/can't use a microphone/);
  });

  it("has no explanation to give when the microphone can be asked for", () => {
    expect(microphoneUnavailableText("ok")).toBeNull();
  });

  it("reports no Web Push without PushManager (iPhone Safari outside the home screen)", () => {
    expect(detectBrowserSupport(iPhoneSafari()).push).toBe(false);
    expect(detectBrowserSupport({ ...chromium(), navigator: { mediaDevices: { getUserMedia: fn } } }).push).toBe(false);
  });

  it("reports nothing supported in an empty environment instead of throwing", () => {
    expect(detectBrowserSupport({})).toEqual({ webrtc: false, mediaSource: null, fullscreen: null, microphone: "missing", push: false });
  });
});
