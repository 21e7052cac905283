// Why: media-quality checks and the loss benchmark need the agent's real PeerSession (its werift
// shims, its start replay, its header extensions) watched by a real Chromium, with every
// datagram through a drop relay that adds delay and loses what it is told to (drop-relay.ts).
// No edge and no PWA: the offer and answer are swapped here, and Chromium sees the camera only at
// the relay's front port, the camera sees Chromium only at its back port.
import type { Page } from "playwright-core";
import { silentLogger } from "../../../device-agent/src/log.ts";
import type { MediaHub } from "../../../device-agent/src/media/media-hub.ts";
import { createPeerSession, type PeerSession } from "../../../device-agent/src/webrtc/peer-session.ts";
import { startDropRelay, type DropRelay, type DropRelayOptions } from "../../../device-agent/test/drop-relay.ts";

/** What the page reports of its session (times in ms since its answer started). */
export interface InboundReport {
  /** Chromium's inbound-rtp entry for the video (W3C webrtc-stats §8.2), as is. */
  video: Record<string, number>;
  connectMs: number | null;
  dataChannelMs: number | null;
  firstFrameMs: number | null;
}

export interface ChromiumViewing {
  session: PeerSession;
  relay: DropRelay;
  inbound(): Promise<InboundReport>;
  /** Waits up to `timeoutMs` for the first decoded frame; the report's firstFrameMs stays null without one. */
  firstFrame(timeoutMs: number): Promise<InboundReport>;
  close(): Promise<void>;
}

export async function watchThroughRelay(o: { page: Page; hub: MediaHub; sessionId: string } & Pick<DropRelayOptions, "drop" | "delayMs">): Promise<ChromiumViewing> {
  let cameraPort = 0;
  let portKnown!: () => void;
  const port = new Promise<void>((r) => (portKnown = r));
  let offer = "";
  const session = createPeerSession({
    sessionId: o.sessionId,
    iceServers: [],
    hub: o.hub,
    device: { serial: "RELAYED", name: "Relayed", source: "demo" },
    role: "owner",
    loopbackCandidates: true,
    logger: silentLogger,
    sendOffer: (sdp) => void (offer = sdp),
    sendCandidate: (c) => {
      const m = / 127\.0\.0\.1 (\d+) typ host/.exec(c.candidate);
      if (m && !cameraPort) {
        cameraPort = Number(m[1]);
        portKnown();
      }
    },
    onEnded: () => {},
  });
  await session.start();
  await port;
  const relay = await startDropRelay({ cameraPort, drop: o.drop, ...(o.delayMs ? { delayMs: o.delayMs } : {}) });
  const sdp = offer
    .replace(/a=candidate.*\r\n/g, "")
    .replace(/a=end-of-candidates\r\n/g, "")
    .replace(/(a=mid:0\r\n)/, `$1a=candidate:1 1 udp 2130706431 127.0.0.1 ${relay.frontPort} typ host\r\na=end-of-candidates\r\n`);
  const answer = await o.page.evaluate(async (sdp) => {
    const w = window as unknown as Record<string, unknown>;
    const pc = new RTCPeerConnection();
    const t0 = performance.now();
    Object.assign(w, { pc, connectMs: null, dataChannelMs: null, firstFrameMs: null });
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "connected" && w.connectMs === null) w.connectMs = performance.now() - t0;
    };
    pc.ondatachannel = (e) => {
      e.channel.onopen = () => void (w.dataChannelMs ??= performance.now() - t0);
    };
    pc.ontrack = (e) => {
      if (e.track.kind !== "video") return;
      const v = document.createElement("video");
      Object.assign(v, { muted: true, autoplay: true, srcObject: new MediaStream([e.track]) });
      document.body.append(v);
      w.video = v;
      v.requestVideoFrameCallback(() => void (w.firstFrameMs ??= performance.now() - t0));
    };
    await pc.setRemoteDescription({ type: "offer", sdp });
    const a = await pc.createAnswer();
    await pc.setLocalDescription(a);
    return a.sdp!;
  }, sdp);
  await session.applyAnswer(answer.replace(/a=candidate.*\r\n/g, ""));
  await session.addRemoteCandidate({ candidate: `candidate:1 1 udp 2130706431 127.0.0.1 ${relay.backPort} typ host`, sdpMid: "0", sdpMLineIndex: 0 });
  await session.addRemoteCandidate({ candidate: "", sdpMid: "0", sdpMLineIndex: 0 });

  const inbound = (): Promise<InboundReport> =>
    o.page.evaluate(async () => {
      const w = window as unknown as { pc: RTCPeerConnection; connectMs: number | null; dataChannelMs: number | null; firstFrameMs: number | null };
      let video: Record<string, number> = {};
      (await w.pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === "inbound-rtp" && s.kind === "video") video = s as Record<string, number>;
      });
      return { video, connectMs: w.connectMs, dataChannelMs: w.dataChannelMs, firstFrameMs: w.firstFrameMs };
    });
  return {
    session,
    relay,
    inbound,
    async firstFrame(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      let r = await inbound();
      while (r.firstFrameMs === null && performance.now() < deadline) {
        await new Promise((res) => setTimeout(res, 50));
        r = await inbound();
      }
      return r;
    },
    async close() {
      await o.page.evaluate(() => {
        const w = window as unknown as { pc?: RTCPeerConnection; video?: HTMLVideoElement };
        w.pc?.close();
        w.video?.remove();
      });
      await session.close("viewing done");
      relay.close();
    },
  };
}
