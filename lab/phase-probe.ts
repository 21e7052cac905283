// Why: the lab benchmark splits tap → first frame into phases from both sides' timestamps. The
// PWA's debug handle has the session's own stages (click, welcome, ICE, DTLS, first frame); this
// init script adds what only the RTCPeerConnection sees — when the camera's offer arrived, the
// first candidates each way, the ICE and DTLS state changes — without changing the PWA.
// Every mark is wall-clock epoch milliseconds (performance.timeOrigin + performance.now()): all
// lab namespaces share the host's clock, so these line up with the agent's log timestamps.

/** Epoch-ms marks of the page's (first) peer connection, first occurrence each. */
export interface ViewerMarks {
  /** performance.timeOrigin: adds to the debug handle's performance.now() timings. */
  timeOrigin: number;
  pcCreated?: number;
  /** setRemoteDescription(offer) called: the camera's offer reached the page. */
  offerReceived?: number;
  /** setLocalDescription(answer) called: the answer goes out right after. */
  answerSet?: number;
  firstLocalCandidate?: number;
  /** addIceCandidate with the camera's first candidate. */
  firstRemoteCandidate?: number;
  iceChecking?: number;
  iceConnected?: number;
  /** connectionState "connected": ICE and DTLS are both up (W3C webrtc-pc §4.3.3). */
  connected?: number;
}

/** Installed with page.addInitScript; keeps its marks on window.__labMarks. */
export function installPhaseProbe(): void {
  const Native = window.RTCPeerConnection;
  const now = () => performance.timeOrigin + performance.now();
  const marks: Record<string, number> = { timeOrigin: performance.timeOrigin };
  const mark = (name: string) => {
    if (marks[name] === undefined) marks[name] = now();
  };
  (window as unknown as { __labMarks: typeof marks }).__labMarks = marks;
  let first = true;
  class MarkedPeerConnection extends Native {
    readonly #marked: boolean;
    constructor(config?: RTCConfiguration) {
      super(config);
      // Only the session's first connection: an ICE restart keeps it, a retry makes another.
      this.#marked = first;
      first = false;
      if (!this.#marked) return;
      mark("pcCreated");
      this.addEventListener("icecandidate", (e) => {
        if (e.candidate?.candidate) mark("firstLocalCandidate");
      });
      this.addEventListener("iceconnectionstatechange", () => {
        if (this.iceConnectionState === "checking") mark("iceChecking");
        if (this.iceConnectionState === "connected" || this.iceConnectionState === "completed") mark("iceConnected");
      });
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected") mark("connected");
      });
    }
    override setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      if (this.#marked && description.type === "offer") mark("offerReceived");
      return super.setRemoteDescription(description);
    }
    override setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      if (this.#marked && (description === undefined || description.type === "answer")) mark("answerSet");
      return description === undefined ? super.setLocalDescription() : super.setLocalDescription(description);
    }
    override addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
      if (this.#marked && candidate?.candidate) mark("firstRemoteCandidate");
      return super.addIceCandidate(candidate ?? undefined);
    }
  }
  window.RTCPeerConnection = MarkedPeerConnection;
}

/** Evaluated in the page. */
export function readPhaseMarks(): ViewerMarks {
  const marks = (window as unknown as { __labMarks?: ViewerMarks }).__labMarks;
  return { ...(marks ?? { timeOrigin: performance.timeOrigin }) };
}
