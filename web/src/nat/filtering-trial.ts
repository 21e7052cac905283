// Why: the filtering half of the test (filtering.ts says what it shows). A talks to one STUN
// server only; B is relay-only and is given A's public candidates, never the reverse, so the
// first packets A's NAT sees from B's side come from the relay's address and port. A never
// learns B's candidates, so it cannot open the hole itself (RFC 8445 §7.2.5.2.1: it answers
// and sends triggered checks only to where checks came from).
import type { RelayProbe } from "../../../protocol/connection-test.ts";
import { isIpLiteral } from "./candidate.ts";
import { sleep, startGathering, waitGathering } from "./ice-gather.ts";

export interface TrialOutcome {
  /** B's checks reached A; null when the trial could not run (no relay for B, no candidate for A). */
  reached: boolean | null;
  relayAddress: string | null;
  detail: string | null;
}

/** The SDP without any candidate lines (so A cannot learn B's relay address from it). */
export function withoutCandidates(sdp: string): string {
  return sdp
    .split(/\r\n/)
    .filter((l) => !l.startsWith("a=candidate:") && l !== "a=end-of-candidates")
    .join("\r\n");
}

/** Whether A's ICE agent has heard from B: a remote candidate exists only if a check came in. */
async function heardFromPeer(pc: RTCPeerConnection): Promise<boolean> {
  if (pc.iceConnectionState === "connected" || pc.iceConnectionState === "completed") return true;
  const stats = await pc.getStats();
  let heard = false;
  stats.forEach((s: { type: string; state?: string }) => {
    if (s.type === "remote-candidate" || (s.type === "candidate-pair" && s.state === "succeeded")) heard = true;
  });
  return heard;
}

export async function filteringTrial(stunUrl: string, relay: RelayProbe, timeoutMs: number, gatherMs: number): Promise<TrialOutcome> {
  const a = await startGathering({ iceServers: [{ urls: stunUrl }] });
  const b = new RTCPeerConnection({ iceServers: [{ urls: relay.url, username: relay.username, credential: relay.credential }], iceTransportPolicy: "relay" });
  try {
    let relayAddress: string | null = null;
    b.addEventListener("icecandidate", (e) => {
      const m = e.candidate?.candidate ? / (\S+) \d+ typ relay/.exec(e.candidate.candidate) : null;
      if (m?.[1] && !relayAddress) relayAddress = m[1];
    });
    await b.setRemoteDescription(a.offer);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.pc.setRemoteDescription({ type: "answer", sdp: withoutCandidates(answer.sdp ?? "") });

    const aComplete = await waitGathering(a, gatherMs, (c) => c.some((x) => x.type === "srflx"));
    const deadline = Date.now() + gatherMs;
    while (!relayAddress && Date.now() < deadline) await sleep(50);
    if (!relayAddress) return { reached: null, relayAddress: null, detail: "no relay candidate for the filtering test" };
    let forB = a.candidates.filter((c) => c.type === "srflx");
    // No srflx although gathering finished: the server saw A's own address (browsers drop a
    // srflx equal to the host candidate), so A's host candidates are its public ones.
    if (forB.length === 0 && aComplete) forB = a.candidates.filter((c) => c.type === "host" && c.protocol === "udp" && isIpLiteral(c.address));
    if (forB.length === 0) return { reached: null, relayAddress, detail: "no public candidate for the filtering test" };
    const mid = /a=mid:(\S+)/.exec(a.offer.sdp ?? "")?.[1] ?? "0";
    for (const c of forB) await b.addIceCandidate({ candidate: c.raw, sdpMid: mid, sdpMLineIndex: 0 });
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await heardFromPeer(a.pc)) return { reached: true, relayAddress, detail: null };
      await sleep(100);
    }
    return { reached: false, relayAddress, detail: null };
  } finally {
    a.pc.close();
    b.close();
  }
}
