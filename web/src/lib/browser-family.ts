// Why: session reports group by browser family (the WebRTC stacks differ: libwebrtc in Chromium
// and Safari's fork, Firefox's own ICE), never by full user agent — a small fixed set keeps the
// roll-up cheap and says nothing that identifies a person.
import type { BrowserFamily } from "../../../protocol/session-report.ts";

/** The family of a user-agent string. iOS browsers are all WebKit, so they count as Safari. */
export function browserFamily(userAgent: string): BrowserFamily {
  const ua = userAgent.toLowerCase();
  if (/iphone|ipad|ipod/.test(ua) && /applewebkit/.test(ua)) return "safari";
  if (/firefox\/|fxios\//.test(ua)) return "firefox";
  if (/chrome\/|chromium\/|crios\/|edg\//.test(ua)) return "chromium";
  if (/safari\//.test(ua) && /version\//.test(ua)) return "safari";
  return "other";
}
