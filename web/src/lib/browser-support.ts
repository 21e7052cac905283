// Why: one place that says what this browser can do, so the UI hides or explains a missing
// feature instead of throwing on it. Pure: it reads a window-like object, and the tests pass
// fakes shaped like iPhone Safari, WebKitGTK, Chromium or an insecure page.

/** The parts of `window` the detection reads (all optional: any may be missing). */
export interface BrowserEnv {
  RTCPeerConnection?: unknown;
  MediaSource?: unknown;
  /** Media Source Extensions as iPhone Safari has them (iOS 17.1+; W3C MSE 2 §4). */
  ManagedMediaSource?: unknown;
  isSecureContext?: boolean;
  PushManager?: unknown;
  Notification?: unknown;
  navigator?: {
    mediaDevices?: { getUserMedia?: unknown } | undefined;
    serviceWorker?: unknown;
  };
  document?: { fullscreenEnabled?: boolean; webkitFullscreenEnabled?: boolean };
  Element?: { prototype: object };
  HTMLVideoElement?: { prototype: object };
}

/** Which Media Source Extensions constructor plays recordings (null: none). */
export type MediaSourceKind = "MediaSource" | "ManagedMediaSource";

/**
 * element: the Fullscreen API on the picture's box (controls drawn over it stay visible).
 * video: only the <video> itself, through WebKit's own player (iPhone: webkitEnterFullscreen).
 */
export type FullscreenKind = "element" | "video";

export interface BrowserSupport {
  /** Live video needs RTCPeerConnection (Debian's WebKitGTK is built without it). */
  webrtc: boolean;
  /** Recordings playback; MediaSource is preferred where both exist (desktop Safari 17+). */
  mediaSource: MediaSourceKind | null;
  fullscreen: FullscreenKind | null;
  /** Push-to-talk: why the microphone cannot be asked for, or null when it can. */
  microphone: "ok" | "insecure" | "missing";
  /** Web Push (service worker + PushManager + Notification). */
  push: boolean;
}

const has = (o: object | undefined, key: string): boolean => !!o && typeof (o as Record<string, unknown>)[key] === "function";

export function detectBrowserSupport(env: BrowserEnv): BrowserSupport {
  const mediaSource: MediaSourceKind | null = has(env, "MediaSource") ? "MediaSource" : has(env, "ManagedMediaSource") ? "ManagedMediaSource" : null;

  // iPhone Safari has no Element.requestFullscreen (iPad has it, prefixed); there only the
  // video element's own player goes full screen. fullscreenEnabled false (an iframe without
  // allowfullscreen) means the element API exists but refuses.
  const proto = env.Element?.prototype;
  const elementApi = has(proto, "requestFullscreen") || has(proto, "webkitRequestFullscreen");
  const enabled = env.document?.fullscreenEnabled ?? env.document?.webkitFullscreenEnabled ?? true;
  const fullscreen: FullscreenKind | null = elementApi && enabled ? "element" : has(env.HTMLVideoElement?.prototype, "webkitEnterFullscreen") ? "video" : null;

  // Browsers leave navigator.mediaDevices out on insecure (plain http, not localhost) pages.
  const microphone = has(env.navigator?.mediaDevices, "getUserMedia") ? "ok" : env.isSecureContext === false ? "insecure" : "missing";

  return {
    webrtc: has(env, "RTCPeerConnection"),
    mediaSource,
    fullscreen,
    microphone,
    push: !!env.navigator?.serviceWorker && has(env, "PushManager") && has(env, "Notification"),
  };
}

let cached: BrowserSupport | null = null;

/** What the running browser supports (read once; features do not come and go). */
export function browserSupport(): BrowserSupport {
  cached ??= detectBrowserSupport(typeof window === "undefined" ? {} : (window as unknown as BrowserEnv));
  return cached;
}

/** What the live page says when the browser has no WebRTC. */
export const NO_WEBRTC_TEXT =
  "This browser can't play live video: it has no WebRTC. Use Safari on iPhone, iPad or Mac, or a recent Chrome, Edge or Firefox.";

/** Why push-to-talk is not offered, in words a person can act on. */
export function microphoneUnavailableText(reason: BrowserSupport["microphone"]): string | null {
  if (reason === "insecure") return "Talking needs a secure page: open Porthole over https to use the microphone.";
  if (reason === "missing") return "This browser can't use a microphone, so talking is not available.";
  return null;
}

/** Why recordings cannot play here. */
export const NO_MEDIA_SOURCE_TEXT =
  "This browser can't play recordings (it has no Media Source Extensions). Use Safari on iOS 17.1 or later, or a recent Chrome, Edge or Firefox.";
