// Why: three werift 0.25 ICE defaults fight what Porthole needs, and werift has no option for
// them, so we adjust its ICE Connection once, here, on the pinned version (package.json):
//  1. With no STUN server configured, werift still asks stun.l.google.com (DEFAULT_STUN_SERVER).
//     A camera must only talk to the servers its edge hands it (and tests must send no traffic
//     off the machine), so "no STUN server" means no server-reflexive gathering.
//  2. After a pair is nominated, werift keeps pacing checks (one per Ta = 20 ms) on pairs formed
//     from candidates trickled in later, and declares ICE connected only when none is left:
//     ~40–60 ms of extra time to first frame on a LAN. RFC 8445 §7.3.1.5: once the nominated
//     flag is set for a component, ICE processing for that component is concluded, and §8.1.2
//     says waiting and frozen pairs are then removed — werift does that only for pairs that
//     existed at nomination time. An ICE restart clears the nomination, so checks resume then.
//  3. werift nominates aggressively (USE-CANDIDATE on every check), so a relayed pair could win
//     over a punchable direct one: regular nomination instead (regular-nomination.ts).
//  4. werift never pairs a relay candidate that arrives after the remote candidates, and tries
//     one TURN transport at a time: late-candidates.ts and relay-gathering.ts.
//  5. werift drops media during an ICE restart: restart-bridge.ts keeps the old pair until then.
//  7. Per-packet waste on the media path (issue 12, item 9): a DNS lookup per UDP send
//     (udp-send.ts) and a Buffer key validated per SRTP cipher (srtp-key-objects.ts).
//  6. A lost handshake datagram waited out fixed timers (SCTP INIT 3 s, DTLS flight 4 500 ms):
//     sctp-fast-open.ts and dtls-flight-timer.ts retransmit after about one ICE round trip;
//     nack-history.ts answers NACKs for packets older than werift's 128-packet history.
import { Connection } from "werift";
import { installDtlsFlightTimer } from "./dtls-flight-timer.ts";
import { installNoHelloVerify } from "./no-hello-verify.ts";
import { installLateCandidatePairing } from "./late-candidates.ts";
import { installNackHistory } from "./nack-history.ts";
import { installPlayoutDelay } from "./playout-delay.ts";
import { installRegularNomination } from "./regular-nomination.ts";
import { installRelayGathering } from "./relay-gathering.ts";
import { installRestartBridge } from "./restart-bridge.ts";
import { installSrtpKeyObjects } from "./srtp-key-objects.ts";
import { installUdpSend } from "./udp-send.ts";
import { installSctpFastOpen } from "./sctp-fast-open.ts";
import { installNativeX25519 } from "./native-x25519.ts";
import { installTriggeredCheck } from "./triggered-check.ts";

interface ConnectionInternals {
  options: { stunServer?: unknown };
  stunServer: unknown;
  nominated: unknown;
  checkListDone: boolean;
  applyStunTurnServersFromOptions(): void;
  schedulingChecks(): boolean;
}

const MARK = Symbol.for("porthole.werift-shims");

export function installWeriftShims(): void {
  installRegularNomination(); // 3. regular nomination on UDP (see regular-nomination.ts)
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.applyStunTurnServersFromOptions !== "function" || typeof proto.schedulingChecks !== "function") {
    // A werift upgrade renamed these: fail loudly rather than silently losing both fixes.
    throw new Error("werift internals changed: review device-agent/src/werift/werift-shims.ts");
  }
  const applyServers = proto.applyStunTurnServersFromOptions;
  proto.applyStunTurnServersFromOptions = function (this: ConnectionInternals) {
    applyServers.call(this);
    if (this.options.stunServer === undefined) this.stunServer = undefined;
  };
  const scheduleChecks = proto.schedulingChecks;
  proto.schedulingChecks = function (this: ConnectionInternals) {
    if (this.nominated && this.checkListDone) return false;
    return scheduleChecks.call(this);
  };
  proto[MARK] = true;
  // After the schedulingChecks wrapper above, so it sees every "no more checks" answer.
  installLateCandidatePairing();
  installRelayGathering();
  installRestartBridge();
  installUdpSend();
  installSrtpKeyObjects();
  installSctpFastOpen();
  installDtlsFlightTimer();
  installNoHelloVerify();
  installNackHistory();
  installPlayoutDelay();
  installNativeX25519();
  installTriggeredCheck();
}
