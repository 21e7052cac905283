// Why: loss tests need a real werift camera and a real werift viewer whose every datagram goes
// through a drop relay (drop-relay.ts), so a chosen handshake datagram can be lost. The camera
// is set up as peer-session.ts sets it up (shims installed, offerer, ICE-controlling, DTLS
// server, early DTLS held); the viewer only knows the relay's front port as the camera's address.
import { RTCPeerConnection, useVP8, type RTCDataChannel, type RTCPeerConnectionConfig } from "werift";
import { holdEarlyDtls } from "../src/werift/early-dtls.ts";
import { installWeriftShims } from "../src/werift/werift-shims.ts";
import { startDropRelay, type DropRelay, type DropRelayOptions } from "./drop-relay.ts";

export interface RelayPair {
  camera: RTCPeerConnection;
  viewer: RTCPeerConnection;
  relay: DropRelay;
  /** The viewer's side of the camera's data channel, once open. */
  channel: Promise<RTCDataChannel>;
  /** Sequence numbers of the video RTP packets the viewer received. */
  videoReceived: Set<number>;
  /** Resolves with ms since the answer was applied when the camera's peer connection is connected. */
  cameraConnected: Promise<number>;
  close(): Promise<void>;
}

export async function connectThroughRelay(o: Pick<DropRelayOptions, "drop" | "delayMs">): Promise<RelayPair> {
  installWeriftShims();
  // Loopback sockets only: the relay forwards to one camera port and answers one viewer address.
  const config = (): RTCPeerConnectionConfig => ({
    bundlePolicy: "max-bundle",
    iceUseIpv6: false,
    iceServers: [],
    iceAdditionalHostAddresses: ["127.0.0.1"],
    codecs: { video: [useVP8()] },
    iceFilterCandidatePair: (p) => p.localCandidate.host === "127.0.0.1",
  });
  const camera = new RTCPeerConnection(config());
  camera.addTransceiver("video", { direction: "sendonly" });
  camera.createDataChannel("control", { ordered: true });
  const offer = await camera.createOffer();
  holdEarlyDtls(camera);
  await camera.setLocalDescription(offer);
  const port = /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/.exec(camera.localDescription!.sdp)?.[1];
  if (!port) throw new Error("the camera gathered no 127.0.0.1 host candidate");
  const relay = await startDropRelay({ cameraPort: Number(port), drop: o.drop, delayMs: o.delayMs });
  // The viewer sees the relay as the camera's only candidate.
  const sdp = offer.sdp.replace(/a=candidate.*\r\n/g, "").replace(/a=end-of-candidates\r\n/g, "");
  const viewer = new RTCPeerConnection(config());
  const channel = new Promise<RTCDataChannel>((resolve) => {
    viewer.onDataChannel.subscribe((dc) => {
      if (dc.readyState === "open") resolve(dc);
      else dc.stateChanged.subscribe((s) => s === "open" && resolve(dc));
    });
  });
  const videoReceived = new Set<number>();
  viewer.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => void videoReceived.add(rtp.header.sequenceNumber)));
  await viewer.setRemoteDescription({ type: "offer", sdp });
  await viewer.addIceCandidate({ candidate: `candidate:1 1 udp 2130706431 127.0.0.1 ${relay.frontPort} typ host`, sdpMid: "0", sdpMLineIndex: 0 });
  const answer = await viewer.createAnswer();
  await viewer.setLocalDescription(answer);
  const t0 = performance.now();
  const cameraConnected = new Promise<number>((resolve) => {
    camera.connectionStateChange.subscribe((s) => s === "connected" && resolve(performance.now() - t0));
  });
  // The camera sees the viewer only at the relay's back port, so every datagram crosses the relay.
  await camera.setRemoteDescription({ type: "answer", sdp: viewer.localDescription!.sdp.replace(/a=candidate.*\r\n/g, "").replace(/a=end-of-candidates\r\n/g, "") });
  await camera.addIceCandidate({ candidate: `candidate:1 1 udp 2130706431 127.0.0.1 ${relay.backPort} typ host`, sdpMid: "0", sdpMLineIndex: 0 });
  await camera.addIceCandidate({ candidate: "", sdpMid: "0", sdpMLineIndex: 0 });
  return {
    camera,
    viewer,
    relay,
    channel,
    videoReceived,
    cameraConnected,
    async close() {
      await Promise.allSettled([camera.close(), viewer.close()]);
      relay.close();
    },
  };
}
