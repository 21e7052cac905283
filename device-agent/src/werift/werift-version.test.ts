// The patches in this folder depend on werift's internals (private-names.ts): a different werift
// must fail here, naming the versions and every name that moved, before it reaches a camera.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  Candidate, CandidatePair, CandidatePairState, Connection, DtlsServer, Event, ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80,
  RTCDtlsTransport, RTCPeerConnection, RTCRtpSender, RTCSctpTransport, SrtpSession, StunOverTurnProtocol, TurnProtocol, UdpTransport,
} from "werift";
import { PAIR_STATES, PRIVATE_NAMES, REVIEWED_WERIFT_VERSION, SCTP_NUMBERS, type WeriftOwner } from "./private-names.ts";

const readJson = (relative: string) => JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as Record<string, unknown>;
const installed = readJson("../../../node_modules/werift/package.json").version as string;
const pinned = (readJson("../../../package.json").dependencies as Record<string, string>).werift;

/** Real werift objects, built without a network peer: the owners the table names. */
function realObjects(): { objects: Record<WeriftOwner, object>; close(): Promise<void> } {
  const connection = new Connection(true, {});
  const candidate = new Candidate("1", 1, "udp", 1, "127.0.0.1", 9, "host");
  const pair = new CandidatePair({ localCandidate: candidate } as never, candidate, true);
  const transport = { type: "udp", address: ["127.0.0.1", 0], onData: new Event(), send: async () => {}, close: async () => {} };
  const turn = new TurnProtocol(["127.0.0.1", 3478], "user", "pass", 600, transport as never);
  const stunOverTurn = new StunOverTurnProtocol(turn);
  const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: "max-bundle" });
  pc.addTransceiver("video", { direction: "sendonly" });
  pc.createDataChannel("names"); // makes the SCTP association
  const dtls = pc.dtlsTransports[0]!;
  const udp = new (UdpTransport as unknown as new (type: string) => UdpTransport)("udp4"); // as UdpTransport.init makes it, unbound
  const srtp = (profile: number, saltLength: number) => {
    const [key, salt] = [Buffer.alloc(16, 1), Buffer.alloc(saltLength, 2)];
    return new SrtpSession({ profile, keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt } });
  };
  const gcm = srtp(ProtectionProfileAeadAes128Gcm, 12);
  const cm = srtp(ProtectionProfileAes128CmHmacSha1_80, 14);
  const cipherOf = (s: SrtpSession) => (s as unknown as { localContext: { cipher: object } }).localContext.cipher;
  const sctp = (pc as unknown as { sctpTransport: { sctp: object } }).sctpTransport.sctp;
  const dtlsServer = new DtlsServer({ transport: { send: async () => {}, close: () => {} } } as never);
  return {
    objects: {
      "Connection.prototype": Connection.prototype,
      "RTCSctpTransport.prototype": RTCSctpTransport.prototype,
      "RTCDtlsTransport.prototype": RTCDtlsTransport.prototype,
      "RTCRtpSender.prototype": RTCRtpSender.prototype,
      RTCRtpSender: pc.getTransceivers()[0]!.sender,
      SCTP: sctp,
      DtlsServer: dtlsServer,
      DtlsContext: (dtlsServer as unknown as { dtls: object }).dtls,
      Connection: connection,
      CandidatePair: pair,
      RTCPeerConnection: pc,
      RTCDtlsTransport: dtls,
      RTCIceTransport: dtls.iceTransport,
      StunOverTurnProtocol: stunOverTurn,
      TurnProtocol: turn,
      "UdpTransport.prototype": UdpTransport.prototype,
      UdpTransport: udp,
      SrtpSession: gcm,
      SrtpContext: (gcm as unknown as { localContext: object }).localContext,
      "CipherAesGcm.prototype": Object.getPrototypeOf(cipherOf(gcm)),
      "CipherAesCtr.prototype": Object.getPrototypeOf(cipherOf(cm)),
      CipherAesGcm: cipherOf(gcm),
      CipherAesCtr: cipherOf(cm),
    },
    close: async () => {
      await udp.close();
      await pc.close();
      await connection.close();
    },
  };
}

describe("the werift the agent's patches were written for", () => {
  it("is the installed werift, pinned exactly in package.json", () => {
    expect(installed, `werift ${installed} is installed but the patches in device-agent/src/werift/ were reviewed against ${REVIEWED_WERIFT_VERSION}: re-read each patch against the new werift (README.md there), then update REVIEWED_WERIFT_VERSION`).toBe(REVIEWED_WERIFT_VERSION);
    expect(pinned, `package.json asks for werift "${pinned}", expected exactly "${REVIEWED_WERIFT_VERSION}" (no range: a minor release may move what the patches touch)`).toBe(REVIEWED_WERIFT_VERSION);
  });

  const real = realObjects();
  afterAll(() => real.close());

  it.each(PRIVATE_NAMES.map((g) => [`${g.patch} on ${g.owner}`, g] as const))("still has every member %s uses", (_, group) => {
    const target = real.objects[group.owner] as Record<string, unknown>;
    const missing = group.names.filter((name) => (group.owner.endsWith(".prototype") ? typeof target[name] !== "function" : !(name in target)));
    expect(missing, `werift ${installed} (patches reviewed against ${REVIEWED_WERIFT_VERSION}) has no ${missing.map((n) => `${group.owner}.${n}`).join(", ")}, used by device-agent/src/${group.patch}`).toEqual([]);
  });

  it("numbers a new SCTP association's state as sctp-fast-open.ts reads it", () => {
    expect((real.objects.SCTP as { associationState: number }).associationState).toBe(SCTP_NUMBERS.CLOSED);
  });

  it("numbers candidate pair states as regular-nomination.ts reads them", () => {
    expect({ ...PAIR_STATES }).toEqual({
      FROZEN: CandidatePairState.FROZEN,
      WAITING: CandidatePairState.WAITING,
      IN_PROGRESS: CandidatePairState.IN_PROGRESS,
      SUCCEEDED: CandidatePairState.SUCCEEDED,
      FAILED: CandidatePairState.FAILED,
    });
  });
});
