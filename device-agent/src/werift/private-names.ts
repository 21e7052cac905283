// Why: the patches in this folder reach into werift's internals, which change without notice
// between releases. This table is the one list of every name they depend on: README.md explains
// each patch, and werift-version.test.ts checks each name on real werift objects, so an upgrade
// fails in one test that names what moved instead of in a session on a camera.

/** The werift release every patch here was read against (package.json pins it exactly). */
export const REVIEWED_WERIFT_VERSION = "0.25.2";

/**
 * Which werift object a name lives on. "….prototype": a method the patch replaces or calls, looked
 * up on the class's prototype. Every other owner means a field, getter or method looked up on a
 * real instance (werift sets several methods, e.g. Connection.send and checkStart, per instance).
 */
export type WeriftOwner =
  | "Connection.prototype"
  | "RTCSctpTransport.prototype"
  | "RTCDtlsTransport.prototype"
  | "Connection"
  | "CandidatePair"
  | "RTCPeerConnection"
  | "RTCDtlsTransport"
  | "RTCIceTransport"
  | "StunOverTurnProtocol"
  | "TurnProtocol"
  | "SCTP"
  | "DtlsServer"
  | "DtlsContext"
  | "RTCRtpSender.prototype"
  | "RTCRtpSender"
  | "UdpTransport.prototype"
  | "UdpTransport"
  | "SrtpSession"
  | "SrtpContext"
  | "CipherAesGcm.prototype"
  | "CipherAesCtr.prototype"
  | "CipherAesGcm"
  | "CipherAesCtr";

export interface PrivateNames {
  /** File (in device-agent/src/) that uses the names. */
  patch: string;
  owner: WeriftOwner;
  names: readonly string[];
}

export const PRIVATE_NAMES: readonly PrivateNames[] = [
  { patch: "werift/werift-shims.ts", owner: "Connection.prototype", names: ["applyStunTurnServersFromOptions", "schedulingChecks"] },
  { patch: "werift/werift-shims.ts", owner: "Connection", names: ["options", "stunServer", "nominated", "checkListDone"] },

  { patch: "werift/late-candidates.ts", owner: "Connection.prototype", names: ["pairLocalProtocol", "sortCheckList", "schedulingChecks"] },
  { patch: "werift/late-candidates.ts", owner: "Connection", names: ["state", "nominated", "earlyChecksDone", "checkList"] },

  {
    patch: "werift/regular-nomination.ts",
    owner: "Connection.prototype",
    names: ["buildRequest", "checkComplete", "checkRequestOptions", "isStaleNomination", "isTcpPair", "nominateTcpPairIfReady", "addRemoteCandidate"],
  },
  {
    patch: "werift/regular-nomination.ts",
    owner: "Connection",
    names: [
      "checkStart", "iceControlling", "remoteIsLite", "nominated", "nominating", "checkList", "remoteCandidatesEnd", "localCandidates",
      "remoteCandidates", "turnServer", "state", "generation", "localUsername", "remoteUsername", "remotePassword",
    ],
  },
  {
    patch: "werift/regular-nomination.ts",
    owner: "CandidatePair",
    names: ["state", "handle", "nominated", "localCandidate", "remoteCandidate", "remoteAddr", "requestsSent", "responsesReceived", "protocol", "updateState"],
  },

  { patch: "werift/relay-gathering.ts", owner: "Connection.prototype", names: ["getCandidatePromises", "ensureProtocol", "appendLocalCandidate"] },
  { patch: "werift/relay-gathering.ts", owner: "Connection", names: ["state", "iceLite", "generation", "localUsername", "protocols", "options"] },
  { patch: "werift/relay-gathering.ts", owner: "StunOverTurnProtocol", names: ["turn", "localCandidate", "close"] },
  { patch: "werift/relay-gathering.ts", owner: "TurnProtocol", names: ["relayedAddress", "mappedAddress", "server"] },

  { patch: "werift/turn-relay.ts", owner: "RTCIceTransport", names: ["connection"] },
  { patch: "werift/turn-relay.ts", owner: "Connection", names: ["protocols"] },
  { patch: "werift/turn-relay.ts", owner: "StunOverTurnProtocol", names: ["turn"] },
  { patch: "werift/turn-relay.ts", owner: "TurnProtocol", names: ["server", "integrityKey", "request"] },

  { patch: "werift/restart-bridge.ts", owner: "Connection.prototype", names: ["restart"] },
  { patch: "werift/restart-bridge.ts", owner: "Connection", names: ["send", "nominated", "state"] },
  { patch: "werift/restart-bridge.ts", owner: "CandidatePair", names: ["protocol", "remoteAddr", "packetsSent", "bytesSent"] },
  { patch: "werift/restart-bridge.ts", owner: "StunOverTurnProtocol", names: ["sendData"] },

  { patch: "werift/ice-restart.ts", owner: "RTCPeerConnection", names: ["dtlsTransports"] },
  { patch: "werift/ice-restart.ts", owner: "RTCDtlsTransport", names: ["state", "iceTransport"] },
  { patch: "werift/ice-restart.ts", owner: "RTCIceTransport", names: ["state", "connection", "start"] },
  { patch: "werift/ice-restart.ts", owner: "Connection", names: ["nominated"] },

  { patch: "werift/early-dtls.ts", owner: "RTCPeerConnection", names: ["dtlsTransports"] },
  { patch: "werift/early-dtls.ts", owner: "RTCDtlsTransport", names: ["state", "onStateChange", "iceTransport"] },
  { patch: "werift/early-dtls.ts", owner: "RTCIceTransport", names: ["connection"] },
  { patch: "werift/early-dtls.ts", owner: "Connection", names: ["onData"] },

  { patch: "werift/sctp-fast-open.ts", owner: "RTCSctpTransport.prototype", names: ["start"] },
  { patch: "werift/sctp-fast-open.ts", owner: "RTCDtlsTransport", names: ["iceTransport"] },
  { patch: "werift/sctp-fast-open.ts", owner: "RTCIceTransport", names: ["connection"] },
  { patch: "werift/sctp-fast-open.ts", owner: "Connection", names: ["nominated"] },
  { patch: "werift/sctp-fast-open.ts", owner: "CandidatePair", names: ["rtt"] },
  {
    patch: "werift/sctp-fast-open.ts",
    owner: "SCTP",
    names: ["isServer", "isStopped", "associationState", "timer1Handle", "timer1Chunk", "timer1Failures", "timer1Start", "timer1Expired", "timer1Cancel", "receiveChunk", "sendChunk", "setState"],
  },

  { patch: "werift/sctp-fast-open.ts", owner: "SCTP", names: ["rto", "srtt", "rttvar", "updateRto"] },

  { patch: "werift/dtls-flight-timer.ts", owner: "RTCDtlsTransport.prototype", names: ["start"] },
  { patch: "werift/dtls-flight-timer.ts", owner: "RTCDtlsTransport", names: ["role", "dtls", "iceTransport"] },
  { patch: "werift/dtls-flight-timer.ts", owner: "DtlsServer", names: ["connected", "dtls", "transport", "onClose"] },
  { patch: "werift/dtls-flight-timer.ts", owner: "DtlsContext", names: ["flight", "lastMessage"] },
  { patch: "werift/dtls-flight-timer.ts", owner: "RTCIceTransport", names: ["connection"] },
  { patch: "werift/dtls-flight-timer.ts", owner: "Connection", names: ["nominated"] },
  { patch: "werift/dtls-flight-timer.ts", owner: "CandidatePair", names: ["rtt"] },

  { patch: "werift/no-hello-verify.ts", owner: "RTCDtlsTransport.prototype", names: ["start"] },
  { patch: "werift/no-hello-verify.ts", owner: "RTCDtlsTransport", names: ["role", "dtls"] },
  { patch: "werift/no-hello-verify.ts", owner: "DtlsServer", names: ["connected", "onHandleHandshakes", "transport", "dtls"] },
  { patch: "werift/no-hello-verify.ts", owner: "DtlsContext", names: ["flight", "cookie", "sequenceNumber", "bufferHandshakeCache"] },

  { patch: "werift/udp-send.ts", owner: "UdpTransport.prototype", names: ["init"] },
  { patch: "werift/udp-send.ts", owner: "UdpTransport", names: ["socketType", "socket", "send"] },

  { patch: "werift/srtp-key-objects.ts", owner: "SrtpSession", names: ["localContext", "remoteContext"] },
  { patch: "werift/srtp-key-objects.ts", owner: "SrtpContext", names: ["cipher"] },
  { patch: "werift/srtp-key-objects.ts", owner: "CipherAesGcm.prototype", names: ["encryptRtp", "decryptRtp", "encryptRTCP", "decryptRTCP"] },
  { patch: "werift/srtp-key-objects.ts", owner: "CipherAesCtr.prototype", names: ["encryptRtp", "decryptRtp", "encryptRTCP", "decryptRTCP"] },
  { patch: "werift/srtp-key-objects.ts", owner: "CipherAesGcm", names: ["srtpSessionKey", "srtcpSessionKey"] },
  { patch: "werift/srtp-key-objects.ts", owner: "CipherAesCtr", names: ["srtpSessionKey", "srtcpSessionKey", "srtpSessionAuthTag", "srtcpSessionAuthTag"] },

  { patch: "werift/nack-history.ts", owner: "RTCRtpSender.prototype", names: ["dispatchRtp", "handleRtcpPacket"] },
  { patch: "werift/nack-history.ts", owner: "RTCRtpSender", names: ["sequenceNumber", "rtpCache"] },

  { patch: "werift/playout-delay.ts", owner: "RTCRtpSender.prototype", names: ["dispatchRtp", "handleRtcpPacket"] },
  { patch: "werift/playout-delay.ts", owner: "RTCRtpSender", names: ["ssrc", "headerExtensions", "dtlsTransport"] },
  { patch: "werift/playout-delay.ts", owner: "RTCDtlsTransport.prototype", names: ["sendRtp"] },

  // Outside this folder: the doctor allocates a relay with werift's client and reads its address.
  { patch: "doctor/probes.ts", owner: "StunOverTurnProtocol", names: ["turn"] },
  { patch: "doctor/probes.ts", owner: "TurnProtocol", names: ["relayedAddress"] },
];

/**
 * werift's CandidatePairState values that regular-nomination.ts compares pair.state with
 * (it reads the numbers, as werift's own ice.js does).
 */
/**
 * werift's SCTP association states and chunk types that sctp-fast-open.ts compares with (werift
 * compiles its SCTP_STATE enum to numbers; chunk types are RFC 9260 §3.2's).
 */
export const SCTP_NUMBERS = { CLOSED: 1, COOKIE_WAIT: 2, COOKIE_ECHOED: 3, ESTABLISHED: 4, INIT: 1, COOKIE_ECHO: 10 } as const;

export const PAIR_STATES = { FROZEN: 0, WAITING: 1, IN_PROGRESS: 2, SUCCEEDED: 3, FAILED: 4 } as const;
