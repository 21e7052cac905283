// Integration: the talk audio path through a real werift peer connection on 127.0.0.1. The agent
// offers its audio m-line sendrecv only to viewers who may talk (recvonly when the camera has no
// microphone), and RTP Opus the viewer sends on it reaches onTalkAudio.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, useVP8 } from "werift";
import type { IceCandidate } from "../../../../protocol/index.ts";
import { silentLogger } from "../../log.ts";
import { createDemoSource, loadDemoClip } from "../../media/demo-source.ts";
import { createMediaHub, type MediaHub } from "../../media/media-hub.ts";
import type { MediaSource } from "../../media/source.ts";
import { createPeerSession, type PeerSession } from "../../webrtc/peer-session.ts";
import type { TalkRtp } from "./opus-rtp-timeline.ts";

let source: MediaSource;
let hub: MediaHub;
let silentSource: MediaSource;
let silentHub: MediaHub;

beforeAll(async () => {
  source = createDemoSource();
  hub = createMediaHub(source);
  silentSource = createDemoSource({ audio: false });
  silentHub = createMediaHub(silentSource);
  await Promise.all([source.start(), silentSource.start()]);
});

afterAll(async () => {
  hub.close();
  silentHub.close();
  await Promise.all([source.stop(), silentSource.stop()]);
});

/** The audio m-section's direction attribute, null without an audio m-line. */
function audioDirection(sdp: string): string | null {
  const audio = sdp.split(/\r?\nm=/).find((m) => m.startsWith("audio "));
  if (!audio) return null;
  return /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(audio)?.[1] ?? "sendrecv";
}

function session(h: MediaHub, onTalkAudio: ((rtp: TalkRtp) => void) | undefined, sendOffer: (sdp: string) => void, sendCandidate: (c: IceCandidate) => void = () => {}): PeerSession {
  return createPeerSession({
    sessionId: "talk-test-1",
    iceServers: [],
    hub: h,
    device: { serial: "CAM-TALK", name: "Talk cam", source: "demo" },
    role: "viewer",
    loopbackCandidates: true,
    logger: silentLogger,
    ...(onTalkAudio ? { onTalkAudio } : {}),
    sendOffer,
    sendCandidate,
    onEnded: () => {},
  });
}

async function offerOf(h: MediaHub, talk: boolean): Promise<string> {
  let offer = "";
  const s = session(h, talk ? () => {} : undefined, (sdp) => (offer = sdp));
  await s.start();
  await s.close("test done");
  return offer;
}

describe("talk audio over a peer connection", () => {
  it("offers the audio m-line sendrecv to a viewer who may talk and sendonly to one who may not", async () => {
    expect(audioDirection(await offerOf(hub, true))).toBe("sendrecv");
    expect(audioDirection(await offerOf(hub, false))).toBe("sendonly");
  });

  it("offers a receive-only audio m-line when the camera has no microphone, and none without talk", async () => {
    expect(audioDirection(await offerOf(silentHub, true))).toBe("recvonly");
    expect(audioDirection(await offerOf(silentHub, false))).toBeNull();
  });

  it("hands the viewer's Opus RTP, as sent, to onTalkAudio", async () => {
    const received: TalkRtp[] = [];
    const viewer = new RTCPeerConnection({ bundlePolicy: "max-bundle", iceUseIpv6: false, iceServers: [], iceAdditionalHostAddresses: ["127.0.0.1"], codecs: { video: [useVP8()], audio: [useOPUS()] } });
    const mic = new MediaStreamTrack({ kind: "audio" });
    let hasOffer = false;
    const early: IceCandidate[] = [];
    const addToViewer = async (c: IceCandidate) => {
      if (c.candidate) await viewer.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? undefined, sdpMLineIndex: c.sdpMLineIndex ?? undefined });
    };
    let answered!: (sdp: string) => void;
    const answer = new Promise<string>((r) => (answered = r));
    const s = session(
      hub,
      (rtp) => received.push(rtp),
      (sdp) =>
        void (async () => {
          await viewer.setRemoteDescription({ type: "offer", sdp });
          hasOffer = true;
          for (const c of early.splice(0)) await addToViewer(c);
          // What the PWA does: answer sendrecv on the camera's audio transceiver, then attach the mic.
          const audio = viewer.getTransceivers().find((t) => t.kind === "audio")!;
          audio.setDirection("sendrecv");
          await audio.sender.replaceTrack(mic);
          const a = await viewer.createAnswer();
          await viewer.setLocalDescription(a);
          answered(a.sdp);
        })(),
      (c) => (hasOffer ? void addToViewer(c) : early.push(c)),
    );
    viewer.onIceCandidate.subscribe((c) => {
      if (c) void s.addRemoteCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null });
    });
    try {
      await s.start();
      await s.applyAnswer(await answer);
      const deadline = Date.now() + 10_000;
      while (!s.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(s.connected).toBe(true);
      const opus = loadDemoClip().opus.slice(0, 50);
      for (let i = 0; i < opus.length && received.length < 10; i++) {
        mic.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: 1000 + i, timestamp: 960 * i, ssrc: 1234, marker: i === 0 }), Buffer.from(opus[i]!)));
        await new Promise((r) => setTimeout(r, 20));
      }
      const until = Date.now() + 3_000;
      while (received.length < 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(received.length).toBeGreaterThanOrEqual(10);
      // Payloads arrive unchanged after SRTP; werift rewrites the SSRC, not the payload.
      const first = received[0]!;
      const index = opus.findIndex((p) => Buffer.from(p).equals(Buffer.from(first.payload)));
      expect(index).toBeGreaterThanOrEqual(0);
      expect(received.slice(1).every((p, i) => ((p.timestamp - received[i]!.timestamp) >>> 0) === 960)).toBe(true);
    } finally {
      await s.close("test done");
      await viewer.close();
    }
  });
});
