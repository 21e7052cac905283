// The PWA answers the camera's audio m-line so it may send exactly when the camera offered to
// receive (RFC 3264 §6.1: an answer's direction must be compatible with the offer's).
import { describe, expect, it } from "vitest";
import { answerAudioDirection, audioDirection } from "./talk-sender.ts";

const offer = (audioDir: string | null) =>
  [
    "v=0",
    "o=- 1 1 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    "a=group:BUNDLE 0 1 2",
    "m=video 9 UDP/TLS/RTP/SAVPF 96",
    "a=mid:0",
    "a=sendonly",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111",
    "a=mid:1",
    ...(audioDir ? [`a=${audioDir}`] : []),
    "a=rtpmap:111 opus/48000/2",
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
    "a=mid:2",
    "",
  ].join("\r\n");

describe("talk answer direction", () => {
  it("reads the audio section's direction, not the video's", () => {
    expect(audioDirection(offer("sendrecv"))).toBe("sendrecv");
    expect(audioDirection(offer("recvonly"))).toBe("recvonly");
    expect(audioDirection(offer("sendonly"))).toBe("sendonly");
  });

  it("treats an audio section without a direction as sendrecv, and no audio section as none", () => {
    expect(audioDirection(offer(null))).toBe("sendrecv");
    expect(audioDirection(offer("sendrecv").replace(/m=audio[\s\S]*?(?=m=application)/, ""))).toBeNull();
  });

  it("sends when the camera can receive, and leaves the default when it cannot", () => {
    expect(answerAudioDirection("sendrecv")).toBe("sendrecv");
    expect(answerAudioDirection("recvonly")).toBe("sendonly");
    expect(answerAudioDirection("sendonly")).toBeNull();
    expect(answerAudioDirection("inactive")).toBeNull();
    expect(answerAudioDirection(null)).toBeNull();
  });
});
