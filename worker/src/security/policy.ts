// Why: the browser security policy of the whole origin in one place. The worker sends it on
// its own answers (headers-middleware.ts) and the PWA build writes the same values into the
// static assets' `_headers` file (headers-file.ts), so the API and the PWA cannot drift apart.

/**
 * Content-Security-Policy (CSP Level 3). The PWA is one Vite bundle served from this origin:
 * no inline script or style (vite emits only external <script type=module> and <link>, checked
 * by test/e2e/security-headers.e2e.test.ts), no eval, no third-party hosts.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  // Preact writes `style={{…}}` through the CSSOM (element.style[…], style.cssText), which CSP
  // does not govern (style-src-attr covers style attributes in markup and setAttribute), so no
  // 'unsafe-inline' is needed; the e2e watches for violations while the PWA runs.
  "style-src": ["'self'"],
  // 'self' matches ws:/wss: of the same host and port (CSP3 §6.7.2.8 "Does url match expression
  // in origin with redirect count?"), which is the edge's signaling socket. Chromium, Firefox
  // and WebKit (since r292266, April 2022) implement that; security-headers-engines.e2e
  // checks WebKitGTK and Firefox. A static `_headers` file cannot name the host, so older
  // Safari would need `wss:` here — which would let an injected script reach any host; not worth
  // it. WebRTC media and ICE to TURN servers are not fetches and are outside connect-src.
  "connect-src": ["'self'"],
  // blob: — the snapshot preview (URL.createObjectURL of the JPEG) and MSE playback
  // (a MediaSource object URL as the <video> src).
  "img-src": ["'self'", "blob:"],
  "media-src": ["'self'", "blob:"],
  // The service worker is /sw.js on this origin.
  "worker-src": ["'self'"],
  "manifest-src": ["'self'"],
  "font-src": ["'self'"],
  "frame-src": ["'none'"],
  "object-src": ["'none'"],
  // No <base> is ever needed; 'none' stops an injected one from re-pointing relative scripts.
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  // CSP's clickjacking control; X-Frame-Options below says the same to older engines.
  "frame-ancestors": ["'none'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(" ")}`)
  .join("; ");

/**
 * Permissions Policy (W3C Permissions Policy, Structured Field dictionary): the microphone for
 * push-to-talk and the camera for this origin only (never a frame of another one); fullscreen
 * for the video; every other powerful feature the PWA does not use is off. Only names Chromium
 * knows are listed — an unknown one costs a console error on every page load (Debian's Chromium
 * does not know `bluetooth`; test/e2e/security-headers.e2e.test.ts watches for these).
 */
export const PERMISSIONS_POLICY = [
  "camera=(self)",
  "microphone=(self)",
  "fullscreen=(self)",
  "autoplay=(self)",
  "accelerometer=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "hid=()",
  "idle-detection=()",
  "magnetometer=()",
  "midi=()",
  "payment=()",
  "publickey-credentials-get=()",
  "screen-wake-lock=()",
  "serial=()",
  "usb=()",
  "xr-spatial-tracking=()",
].join(", ");

/** Headers every response of the origin carries, whatever the transport. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  // RFC 7034; superseded by frame-ancestors but still the only control in old WebViews.
  "X-Frame-Options": "DENY",
  // Fetch §3.5 (X-Content-Type-Options): no script or style is ever sniffed from another type.
  "X-Content-Type-Options": "nosniff",
  // Not no-referrer: with it a same-origin fetch() POST sends `Origin: null` (Fetch, "append a
  // request `Origin` header"), which auth/csrf.ts refuses as cross-origin. same-origin keeps the
  // real Origin on our own requests and sends nothing to other sites (camera serials live in
  // our paths).
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": PERMISSIONS_POLICY,
  // HTML §7.1.3: a page this origin opens, or that opens it, gets no window handle across
  // origins (the PWA opens no pop-ups).
  "Cross-Origin-Opener-Policy": "same-origin",
  // Fetch §3.7: other sites cannot load our responses as no-cors subresources (Spectre-style
  // reads of API JSON or assets). Our own pages and the service worker are same-origin.
  "Cross-Origin-Resource-Policy": "same-origin",
};

/**
 * Strict-Transport-Security (RFC 6797): one year, no includeSubDomains (a custom domain's other
 * hosts are not ours to pin) and no preload. Sent only over HTTPS: §7.2 says a host MUST NOT
 * send it over plain HTTP (and §8.1 has browsers ignore it there).
 */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000";

/** The headers for one response; `https` is whether the request reached us over TLS. */
export function securityHeaders(https: boolean): Record<string, string> {
  return https ? { ...SECURITY_HEADERS, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY } : { ...SECURITY_HEADERS };
}
