// Why: end-of-candidates (RFC 8838 §8.2) belongs to one ICE generation. After an ICE restart an
// end-of-candidates of the old generation that is still on its way would tell the camera that
// the new generation has no more candidates, and ICE there fails at once with an empty check
// list. Sent with the generation's ufrag, the camera (werift matches usernameFragment against
// the description it applied) drops a stale one.
import type { IceCandidate } from "../../../protocol/ice.ts";

/** The end-of-candidates message for the generation in `localSdp` (its a=ice-ufrag). */
export function endOfCandidates(localSdp: string | undefined): IceCandidate {
  const ufrag = localSdp ? /^a=ice-ufrag:(\S+)/m.exec(localSdp)?.[1] : undefined;
  return ufrag ? { candidate: "", usernameFragment: ufrag } : { candidate: "" };
}
