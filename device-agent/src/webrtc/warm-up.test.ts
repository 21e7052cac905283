import { RTCDtlsTransport, RTCPeerConnection } from "werift";
import { describe, expect, it } from "vitest";
import type { Logger } from "../log.ts";
import { warmUpWebrtc } from "./warm-up.ts";

const events: unknown[] = [];
const log = { info: (e: unknown) => events.push(e), warn: (e: unknown) => events.push(e), debug: () => {}, error: () => {}, child: () => log } as unknown as Logger;

describe("warmUpWebrtc", () => {
  it("generates the process's DTLS certificate, which the next session's offer then carries", async () => {
    const result = await warmUpWebrtc(log);
    expect(result).not.toBeNull();
    const cert = (RTCDtlsTransport as unknown as { localCertificate?: { getFingerprints(): { value: string }[] } }).localCertificate;
    expect(cert).toBeDefined();
    expect(events).toContainEqual(expect.objectContaining({ event: "webrtc_warmed" }));
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle", iceServers: [] });
    pc.addTransceiver("video", { direction: "sendonly" });
    const offer = await pc.createOffer();
    await pc.close();
    const fingerprint = cert!.getFingerprints()[0]!.value;
    expect(offer.sdp).toContain(fingerprint);
  });
});
