// Why: werift 0.25 does not run the new ICE generation after an ICE restart it offered. Its
// connect() (called when the answer is applied) returns early once the DTLS transport is
// connected, so the restarted ICE agent never forms pairs, answers checks (they wait as "early
// checks") or nominates — media stops for good. An ICE restart keeps DTLS (RFC 8445 §9: only
// ICE credentials change), so we start the restarted ICE transport ourselves.
import type { RTCPeerConnection } from "werift";

interface IceTransportInternals {
  state: string;
  connection: { nominated: unknown };
  start(): Promise<void>;
}
interface PeerInternals {
  dtlsTransports: { state: string; iceTransport: IceTransportInternals }[];
}

/**
 * After the offer/answer of an ICE restart is applied: starts every ICE transport that has no
 * nominated pair (the restart cleared it) under a DTLS transport that is still connected.
 * (werift's transport state is no guide: gathering's end sets it to "completed".) Returns how many.
 */
export function startRestartedIce(pc: RTCPeerConnection, onError: (e: Error) => void): number {
  let started = 0;
  for (const dtls of (pc as unknown as PeerInternals).dtlsTransports) {
    const ice = dtls.iceTransport;
    if (ice.connection.nominated || ice.state === "checking" || dtls.state !== "connected") continue;
    started += 1;
    ice.start().catch(onError);
  }
  return started;
}
