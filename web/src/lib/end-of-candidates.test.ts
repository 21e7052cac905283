import { describe, expect, it } from "vitest";
import { endOfCandidates } from "./end-of-candidates.ts";

describe("end-of-candidates", () => {
  it("carries the ufrag of the generation it ends, so a stale one is dropped after a restart", () => {
    const sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=ice-ufrag:Ab3x\r\na=ice-pwd:0123456789012345678901\r\n";
    expect(endOfCandidates(sdp)).toEqual({ candidate: "", usernameFragment: "Ab3x" });
  });

  it("is a bare empty candidate when no local description is known", () => {
    expect(endOfCandidates(undefined)).toEqual({ candidate: "" });
    expect(endOfCandidates("v=0\r\n")).toEqual({ candidate: "" });
  });
});
