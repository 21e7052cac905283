// Why: a werift RTCPeerConnection playing the browser, wired to an agent PeerSession directly in
// memory (werift's tests/integrate pattern): no edge, no network beyond 127.0.0.1 UDP.
import { RTCPeerConnection, type RtpPacket, useH264, useOPUS, useVP8, type RTCDataChannel } from "werift";
import type { IceCandidate, SessionRole } from "../../protocol/index.ts";
import type { CameraControls } from "../src/controls/camera-controls.ts";
import { silentLogger, type Logger } from "../src/log.ts";
import type { MediaHub } from "../src/media/media-hub.ts";
import { startRestartedIce } from "../src/werift/ice-restart.ts";
import { createPeerSession, type PeerSession } from "../src/webrtc/peer-session.ts";

export interface LoopbackPair {
  session: PeerSession;
  viewer: RTCPeerConnection;
  video: RtpPacket[];
  audio: RtpPacket[];
  /** ms since start when the first video packet arrived. */
  firstVideoAt?: number;
  /** The "control" data channel. */
  channel: Promise<RTCDataChannel>;
  /** The "bulk" data channel (binary transfers). */
  bulk: Promise<RTCDataChannel>;
  ended: string[];
  /** Every offer the session sent (a second one is an ICE restart). */
  offers: string[];
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** The camera's controls for the session (absent: hello/ping only). */
  controls?: CameraControls;
  role?: SessionRole;
  /** The session's logger (default: silent). */
  logger?: Logger;
}

export async function connectLoopback(hub: MediaHub, viewerVideo: "both" | "VP8" | "H264", opts: LoopbackOptions = {}): Promise<LoopbackPair> {
  const video =
    viewerVideo === "VP8" ? [useVP8()] : viewerVideo === "H264" ? [useH264()] : [useVP8(), useH264()];
  const viewer = new RTCPeerConnection({
    bundlePolicy: "max-bundle",
    iceUseIpv6: false,
    iceServers: [],
    iceAdditionalHostAddresses: ["127.0.0.1"],
    codecs: { video, audio: [useOPUS()] },
  });
  const t0 = performance.now();
  const pair: Partial<LoopbackPair> & { video: RtpPacket[]; audio: RtpPacket[]; ended: string[]; offers: string[] } = {
    video: [],
    audio: [],
    ended: [],
    offers: [],
  };
  viewer.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      if (track.kind === "video") {
        pair.firstVideoAt ??= performance.now() - t0;
        pair.video.push(rtp);
      } else pair.audio.push(rtp);
    });
  });
  pair.channel = new Promise((resolve) => viewer.onDataChannel.subscribe((dc) => dc.label === "control" && resolve(dc)));
  pair.bulk = new Promise((resolve) => viewer.onDataChannel.subscribe((dc) => dc.label === "bulk" && resolve(dc)));

  // Candidates can be trickled before the viewer has the offer: queue them until then.
  const toViewer: IceCandidate[] = [];
  let viewerHasOffer = false;
  let answered!: (sdp: string) => void;
  const answer = new Promise<string>((r) => (answered = r));
  let session!: PeerSession;

  session = createPeerSession({
    sessionId: "test-session-1",
    iceServers: [],
    hub,
    device: { serial: "CAM-TEST", name: "Test cam", source: "demo" },
    role: opts.role ?? "owner",
    ...(opts.controls ? { controls: opts.controls } : {}),
    loopbackCandidates: true,
    logger: opts.logger ?? silentLogger,
    sendOffer: (sdp) => {
      pair.offers.push(sdp);
      if (pair.offers.length > 1) {
        // A renegotiation (ICE restart): answer on the same connection, like the PWA does.
        void (async () => {
          await viewer.setRemoteDescription({ type: "offer", sdp });
          const a = await viewer.createAnswer();
          await viewer.setLocalDescription(a);
          // The werift viewer has the same gap as the agent (see ice-restart.ts).
          startRestartedIce(viewer, () => {});
          await session.applyAnswer(a.sdp);
        })();
        return;
      }
      void (async () => {
        await viewer.setRemoteDescription({ type: "offer", sdp });
        viewerHasOffer = true;
        for (const c of toViewer.splice(0)) await addToViewer(c);
        const a = await viewer.createAnswer();
        answered(a.sdp);
        await viewer.setLocalDescription(a);
      })();
    },
    sendCandidate: (c) => {
      if (!viewerHasOffer) toViewer.push(c);
      else void addToViewer(c);
    },
    onEnded: (reason) => pair.ended.push(reason),
  });
  const addToViewer = async (c: IceCandidate): Promise<void> => {
    if (!c.candidate) return;
    await viewer.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? undefined, sdpMLineIndex: c.sdpMLineIndex ?? undefined });
  };
  viewer.onIceCandidate.subscribe((c) => {
    if (c) void session.addRemoteCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null });
  });

  await session.start();
  await session.applyAnswer(await answer);
  pair.session = session;
  pair.viewer = viewer;
  pair.close = async () => {
    await session.close("test done");
    await viewer.close();
  };
  return pair as LoopbackPair;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
