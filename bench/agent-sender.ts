// Why: bench:agent measures the sender alone, so it runs in a process of its own (forked by
// bench/agent.ts, signaling over the IPC channel) and reports its own CPU time and RSS.
//   werift: the agent's real media path — MediaHub → TrackFeed → PeerSession (werift, with the
//           agent's werift patches) — one session per viewer, as the agent makes them.
//   native: the reference, node-datachannel (libdatachannel): one PeerConnection per viewer,
//           the same RTP written to each viewer's track.
// Usage (by bench/agent.ts only): node bench/agent-sender.ts <werift|native> <sd|hd>
import type { IceCandidate } from "../protocol/index.ts";
import type { MediaPacket } from "../device-agent/src/media/packet.ts";
import { createListeners, type MediaSource } from "../device-agent/src/media/source.ts";
import type { PeerSession } from "../device-agent/src/webrtc/peer-session.ts";
import { PROFILES, startSyntheticVideo } from "./agent-media.ts";

export type ToSender =
  | { t: "viewer"; v: number }
  | { t: "answer"; v: number; sdp: string }
  | { t: "candidate"; v: number; candidate: IceCandidate }
  | { t: "usage" }
  | { t: "stop" };
export type FromSender =
  | { t: "ready" }
  | { t: "offer"; v: number; sdp: string }
  | { t: "candidate"; v: number; candidate: IceCandidate }
  | { t: "connected"; v: number }
  /** packetsOut: the native sender counts its writes; werift's are counted by the viewers. */
  | { t: "usage"; cpuUs: number; rss: number; heapUsed: number; packetsOut: number }
  | { t: "error"; message: string };

interface Sender {
  addViewer(v: number): void;
  answer(v: number, sdp: string): Promise<void>;
  candidate(v: number, c: IceCandidate): Promise<void>;
  stop(): Promise<void>;
}

const send = (m: FromSender): void => {
  if (process.connected) process.send!(m);
};
const [mode, quality] = process.argv.slice(2) as ["werift" | "native", "sd" | "hd"];
const packets = createListeners<[MediaPacket]>();
let packetsOut = 0;
const stopVideo = startSyntheticVideo(PROFILES[quality], (p) => packets.emit(p));

async function weriftSender(): Promise<Sender> {
  // Loaded only here, so the native sender's RSS holds no werift.
  const { silentLogger } = await import("../device-agent/src/log.ts");
  const { createMediaHub } = await import("../device-agent/src/media/media-hub.ts");
  const { createPeerSession } = await import("../device-agent/src/webrtc/peer-session.ts");
  const source: MediaSource = {
    description: "bench",
    videoCodecs: ["H264"],
    audio: false,
    async start() {},
    async stop() {},
    onPacket: (fn) => packets.add(fn),
    onFatal: () => () => {},
  };
  const hub = createMediaHub(source);
  const sessions = new Map<number, PeerSession>();
  return {
    addViewer(v) {
      const session = createPeerSession({
        sessionId: `bench-viewer-${v}`,
        iceServers: [],
        hub,
        device: { serial: "BENCH", name: "bench", source: "bench" },
        role: "owner",
        loopbackCandidates: true,
        logger: silentLogger,
        sendOffer: (sdp) => send({ t: "offer", v, sdp }),
        sendCandidate: (candidate) => send({ t: "candidate", v, candidate }),
        onEnded: (reason) => send({ t: "error", message: `viewer ${v} ended: ${reason}` }),
      });
      sessions.set(v, session);
      void session.start();
      const poll = setInterval(() => {
        if (!session.connected) return;
        clearInterval(poll);
        send({ t: "connected", v });
      }, 20);
    },
    answer: (v, sdp) => sessions.get(v)!.applyAnswer(sdp),
    candidate: (v, c) => sessions.get(v)!.addRemoteCandidate(c),
    async stop() {
      await Promise.all([...sessions.values()].map((s) => s.close("bench over")));
    },
  };
}

async function nativeSender(): Promise<Sender> {
  const ndc = (await import("node-datachannel")).default;
  const peers = new Map<number, import("node-datachannel").PeerConnection>();
  /** node-datachannel drops a wrapper's callbacks when it is garbage-collected: keep them. */
  const held: unknown[] = [];
  return {
    addViewer(v) {
      const pc = new ndc.PeerConnection(`sender-${v}`, { iceServers: [], bindAddress: "127.0.0.1" });
      peers.set(v, pc);
      pc.onLocalDescription((sdp, type) => type === "offer" && send({ t: "offer", v, sdp }));
      pc.onLocalCandidate((candidate, mid) => send({ t: "candidate", v, candidate: { candidate: candidate.replace(/^a=/, ""), sdpMid: mid } }));
      const ssrc = 0x1000_0000 + v;
      const video = new ndc.Video("video", "SendOnly");
      video.addH264Codec(96);
      video.addSSRC(ssrc, "bench", "bench", "video");
      const track = pc.addTrack(video);
      held.push(track);
      // The agent opens its control and bulk channels on every session: the same SCTP here.
      held.push(pc.createDataChannel("control"));
      let seq = v * 1000;
      track.onOpen(() => {
        send({ t: "connected", v });
        packets.add((p) => {
          // The fan-out a native agent does: one RTP header per viewer, then libdatachannel
          // protects (SRTP) and sends it.
          const rtp = Buffer.allocUnsafe(12 + p.payload.length);
          rtp[0] = 0x80;
          rtp[1] = (p.marker ? 0x80 : 0) | 96;
          rtp.writeUInt16BE(seq, 2);
          rtp.writeUInt32BE(p.timestamp, 4);
          rtp.writeUInt32BE(ssrc, 8);
          p.payload.copy(rtp, 12);
          seq = (seq + 1) & 0xffff;
          track.sendMessageBinary(rtp);
          packetsOut++;
        });
      });
    },
    async answer(v, sdp) {
      peers.get(v)!.setRemoteDescription(sdp, "answer");
    },
    async candidate(v, c) {
      if (c.candidate) peers.get(v)!.addRemoteCandidate(c.candidate, c.sdpMid ?? "0");
    },
    async stop() {
      for (const pc of peers.values()) pc.close();
      ndc.cleanup();
    },
  };
}

const sender = mode === "native" ? await nativeSender() : await weriftSender();
process.on("message", (m: ToSender) => {
  const fail = (e: unknown) => send({ t: "error", message: `${m.t}: ${(e as Error).message}` });
  switch (m.t) {
    case "viewer":
      return sender.addViewer(m.v);
    case "answer":
      return void sender.answer(m.v, m.sdp).catch(fail);
    case "candidate":
      return void sender.candidate(m.v, m.candidate).catch(fail);
    case "usage": {
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      return send({ t: "usage", cpuUs: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, packetsOut });
    }
    case "stop":
      stopVideo();
      void sender.stop().finally(() => process.exit(0));
      return;
  }
});
send({ t: "ready" });
