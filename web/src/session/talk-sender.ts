// Why: push-to-talk sends the microphone on the audio m-line the camera already offered (sendrecv
// when it can play sound), so talking needs no renegotiation: the answer says we may send, the
// sender starts empty, and a press attaches the mic with replaceTrack (W3C webrtc §5.2); a
// release detaches it and stops the mic so the browser's recording indicator goes off.

export type TalkMediaErrorCode = "mic_denied" | "mic_unavailable" | "no_audio_path";

export class TalkMediaError extends Error {
  readonly code: TalkMediaErrorCode;
  constructor(code: TalkMediaErrorCode, message: string) {
    super(message);
    this.name = "TalkMediaError";
    this.code = code;
  }
}

type Direction = "sendrecv" | "sendonly" | "recvonly" | "inactive";

/** The direction attribute of the first audio m-section of an SDP (RFC 8866 §6.7; default sendrecv). */
export function audioDirection(sdp: string): Direction | null {
  const sections = sdp.split(/\r?\nm=/).slice(1);
  const audio = sections.find((s) => s.startsWith("audio "));
  if (!audio) return null;
  const m = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(audio);
  return (m?.[1] as Direction | undefined) ?? "sendrecv";
}

/**
 * Our transceiver direction for the answer: send when the camera offers to receive (its
 * sendrecv/recvonly), and keep receiving whatever it sends. null: leave the browser's default.
 */
export function answerAudioDirection(offered: Direction | null): RTCRtpTransceiverDirection | null {
  if (offered === "sendrecv") return "sendrecv";
  if (offered === "recvonly") return "sendonly";
  return null;
}

/** Asks for the microphone with the processing a speakerphone needs (W3C mediacapture §4.3.8). */
async function openMicrophone(): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new TalkMediaError("mic_unavailable", "This browser cannot use a microphone here (it needs a secure https page).");
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true }, video: false });
  } catch (e) {
    const name = (e as DOMException).name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      throw new TalkMediaError("mic_denied", "Microphone access is blocked. Allow the microphone for this site in the browser's settings, then try again.");
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") throw new TalkMediaError("mic_unavailable", "No microphone was found on this device.");
    if (name === "NotReadableError") throw new TalkMediaError("mic_unavailable", "The microphone is in use by another app or could not be started.");
    throw new TalkMediaError("mic_unavailable", `The microphone could not be opened (${name || "unknown error"}).`);
  }
  const track = stream.getAudioTracks()[0];
  if (!track) throw new TalkMediaError("mic_unavailable", "The browser gave no microphone track.");
  return track;
}

export class TalkSender {
  private transceiver: RTCRtpTransceiver | null = null;
  private track: MediaStreamTrack | null = null;
  private closed = false;

  /** Call between setRemoteDescription(offer) and createAnswer (first offer and renegotiations). */
  prepareAnswer(pc: RTCPeerConnection, offerSdp: string): void {
    const direction = answerAudioDirection(audioDirection(offerSdp));
    const tr = pc.getTransceivers().find((t) => t.receiver.track.kind === "audio" && t.direction !== "stopped");
    if (!tr || !direction) {
      this.transceiver = null;
      return;
    }
    // No track yet: the browser answers with a send direction but sends nothing until replaceTrack.
    if (tr.direction !== direction) tr.direction = direction;
    this.transceiver = tr;
  }

  /** The camera offered to receive our audio. */
  get available(): boolean {
    return this.transceiver !== null && !this.closed;
  }

  /** Opens the microphone (the browser asks on first use). Throws TalkMediaError. */
  async openMic(): Promise<void> {
    if (!this.available) throw new TalkMediaError("no_audio_path", "This connection to the camera carries no talk audio. Reconnect and try again.");
    if (this.track?.readyState === "live") return;
    const track = await openMicrophone();
    if (this.closed) {
      track.stop();
      throw new TalkMediaError("no_audio_path", "The session ended.");
    }
    this.track = track;
  }

  /** Starts sending the open microphone (after the camera gave us the floor). */
  async send(): Promise<void> {
    if (!this.transceiver || !this.track) throw new TalkMediaError("no_audio_path", "The microphone is not open.");
    await this.transceiver.sender.replaceTrack(this.track);
  }

  /** Stops sending and releases the microphone. Safe to call at any time. */
  async stop(): Promise<void> {
    const track = this.track;
    this.track = null;
    track?.stop();
    try {
      await this.transceiver?.sender.replaceTrack(null);
    } catch {
      /* the connection is closing */
    }
  }

  close(): void {
    this.closed = true;
    void this.stop();
    this.transceiver = null;
  }
}
