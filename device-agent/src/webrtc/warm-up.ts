// Why: the first session after the agent starts used to pay for everything werift does once per
// process — generating the DTLS certificate (an ECDSA P-256 key and a self-signed X.509 in JS),
// compiling the SDP, ICE and DTLS code paths, binding its first sockets. None of that depends on
// the viewer, so the agent does it at start (issue 12, item 6): the first session is then as fast
// as the tenth.
//
// werift keeps one certificate per process (RTCDtlsTransport.SetupCertificate caches it, and
// every RTCPeerConnection's ensureCerts() takes it); a certificate may serve many sessions —
// RFC 8827 §6.5 only asks that it not identify the user across origins, and it is fresh per
// agent start. A throw-away peer connection with the same shape as a session (bundled video +
// audio + data channel, host candidates only, no STUN/TURN so nothing leaves the machine) then
// runs createOffer / setLocalDescription once.
import { RTCDtlsTransport, RTCPeerConnection } from "werift";
import type { Logger } from "../log.ts";
import { installWeriftShims } from "../werift/werift-shims.ts";

/** Gathering host candidates on a throw-away connection must not hold the agent's start. */
const WARM_UP_LIMIT_MS = 3000;

export interface WarmUpResult {
  certificateMs: number;
  offerMs: number;
}

/** Generates the process's DTLS certificate and runs one offer through werift. Never throws. */
export async function warmUpWebrtc(log: Logger): Promise<WarmUpResult | null> {
  const t0 = performance.now();
  let pc: RTCPeerConnection | undefined;
  try {
    // The same werift as a session's (idempotent): above all no default public STUN server.
    installWeriftShims();
    await RTCDtlsTransport.SetupCertificate();
    const certificateMs = Math.round(performance.now() - t0);
    pc = new RTCPeerConnection({ bundlePolicy: "max-bundle", iceUseIpv6: false, iceServers: [] });
    pc.addTransceiver("video", { direction: "sendonly" });
    pc.addTransceiver("audio", { direction: "sendonly" });
    pc.createDataChannel("warm-up");
    const t1 = performance.now();
    const offer = await pc.createOffer();
    await Promise.race([pc.setLocalDescription(offer), new Promise((r) => setTimeout(r, WARM_UP_LIMIT_MS).unref())]);
    const result = { certificateMs, offerMs: Math.round(performance.now() - t1) };
    log.info({ event: "webrtc_warmed", ...result });
    return result;
  } catch (e) {
    // A failed warm-up only means the first session does this work itself.
    log.warn({ event: "webrtc_warm_up_failed", message: (e as Error).message });
    return null;
  } finally {
    await pc?.close().catch(() => {});
  }
}
