// Why: a browser without WebRTC (Debian's WebKitGTK, old embedded browsers) cannot play live
// video at all; this says so plainly where the Watch / Connect button would be, instead of
// offering a button that can only fail.
import { NO_WEBRTC_TEXT } from "../lib/browser-support.ts";
import { AlertIcon } from "./icons.tsx";

export function NoWebRtcNotice() {
  return (
    <p class="notice" role="note" data-testid="webrtc-unsupported">
      <AlertIcon class="notice__icon" aria-hidden="true" />
      <span>{NO_WEBRTC_TEXT}</span>
    </p>
  );
}
