// Why: bench:agent's viewers — headless node-datachannel (libdatachannel) peers on 127.0.0.1, all
// in one process apart from the sender, so the sender's process measures only the sender. Each
// answers the sender's offer and counts the RTP it receives (the check that every viewer really
// got the stream while the sender's CPU was measured).
// Usage (by bench/agent.ts only): node bench/agent-viewers.ts
import ndc, { type PeerConnection } from "node-datachannel";
import type { IceCandidate } from "../protocol/index.ts";

export type ToViewers = { t: "offer"; v: number; sdp: string } | { t: "candidate"; v: number; candidate: IceCandidate } | { t: "stats" } | { t: "stop" };
export type FromViewers =
  | { t: "ready" }
  | { t: "answer"; v: number; sdp: string }
  | { t: "candidate"; v: number; candidate: IceCandidate }
  | { t: "stats"; viewers: { v: number; rtpPackets: number; rtpBytes: number }[] }
  | { t: "error"; message: string };

const send = (m: FromViewers): void => void process.send!(m);
interface Viewer {
  pc: PeerConnection;
  rtpPackets: number;
  rtpBytes: number;
  /** Candidates that arrived before the offer. */
  early: IceCandidate[];
  offered: boolean;
  /** Held so node-datachannel's wrappers (and their callbacks) are not garbage-collected. */
  held: unknown[];
}
const viewers = new Map<number, Viewer>();

function viewer(v: number): Viewer {
  let w = viewers.get(v);
  if (w) return w;
  const pc = new ndc.PeerConnection(`viewer-${v}`, { iceServers: [], bindAddress: "127.0.0.1" });
  w = { pc, rtpPackets: 0, rtpBytes: 0, early: [], offered: false, held: [] };
  const self = w;
  viewers.set(v, w);
  pc.onLocalDescription((sdp, type) => type === "answer" && send({ t: "answer", v, sdp }));
  pc.onLocalCandidate((candidate, mid) => send({ t: "candidate", v, candidate: { candidate: candidate.replace(/^a=/, ""), sdpMid: mid } }));
  pc.onGatheringStateChange((state) => state === "complete" && send({ t: "candidate", v, candidate: { candidate: "", sdpMid: "0" } }));
  pc.onTrack((track) => {
    self.held.push(track);
    track.setMediaHandler(new ndc.RtcpReceivingSession());
    track.onMessage((msg) => {
      const pt = msg[1]! & 0x7f;
      // RTCP (RFC 5761 §4: packet types 200–206 show as payload types 72–78) is not media.
      if (pt >= 72 && pt <= 78) return;
      self.rtpPackets++;
      self.rtpBytes += msg.length;
    });
  });
  pc.onDataChannel((dc) => void self.held.push(dc));
  return w;
}

process.on("message", (m: ToViewers) => {
  try {
    switch (m.t) {
      case "offer": {
        const w = viewer(m.v);
        w.pc.setRemoteDescription(m.sdp, "offer");
        w.offered = true;
        for (const c of w.early.splice(0)) if (c.candidate) w.pc.addRemoteCandidate(c.candidate, c.sdpMid ?? "0");
        return;
      }
      case "candidate": {
        const w = viewer(m.v);
        if (!w.offered) w.early.push(m.candidate);
        else if (m.candidate.candidate) w.pc.addRemoteCandidate(m.candidate.candidate, m.candidate.sdpMid ?? "0");
        return;
      }
      case "stats":
        return send({ t: "stats", viewers: [...viewers].map(([v, w]) => ({ v, rtpPackets: w.rtpPackets, rtpBytes: w.rtpBytes })) });
      case "stop":
        for (const w of viewers.values()) w.pc.close();
        ndc.cleanup();
        process.exit(0);
    }
  } catch (e) {
    send({ t: "error", message: `${m.t}: ${(e as Error).message}` });
  }
});
send({ t: "ready" });
