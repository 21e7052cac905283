// Why: one viewer = one werift RTCPeerConnection, independent of every other viewer. The
// device offers (it owns the media), trickles candidates (RFC 8838) and starts media only
// once DTLS is up, because werift drops RTP written earlier.
import { RTCPeerConnection, type RTCRtpSender, type RTCRtpTransceiver } from "werift";
import type { IceCandidate, IceServer, SessionRole } from "../../../protocol/index.ts";
import { BULK_CHANNEL_LABEL, CONTROL_CHANNEL_LABEL } from "../../../protocol/index.ts";
import type { CameraControls } from "../controls/camera-controls.ts";
import type { TalkRtp } from "../controls/talk/index.ts";
import type { Logger, SessionMark } from "../log.ts";
import type { MediaHub } from "../media/media-hub.ts";
import { audioCodecParameters, codecFromMimeType, videoCodecParameters } from "./codecs.ts";
import { handleControlMessage, type DeviceInfo } from "./control-channel.ts";
import { holdEarlyDtls } from "../werift/early-dtls.ts";
import { createFeedStream } from "./feed-stream.ts";
import { bindSessionControls, type SessionControls } from "./session-controls.ts";
import { startRestartedIce } from "../werift/ice-restart.ts";
import { iceRttSeconds } from "../werift/handshake-rto.ts";
import { startReplayMissed } from "./media-start.ts";
import { createPliGate } from "./pli-gate.ts";
import { startTrackFeed, type TrackFeed } from "./track-feed.ts";
import { expectDirectPath, expectRelayOnly, onDirectPathAfterRelay, onNomination } from "../werift/regular-nomination.ts";
import { gatherRelaysWith } from "../werift/relay-gathering.ts";
import { chooseIceServers, createTurnHealth, type TurnHealth } from "./turn-choice.ts";
import { releaseTurnAllocations } from "../werift/turn-relay.ts";
import { playoutDelayHeaderExtension } from "../werift/playout-delay.ts";
import { installWeriftShims } from "../werift/werift-shims.ts";

/** A keyframe resend answers at most one PLI per this long (a GOP resend is a burst). */
const PLI_RESEND_GAP_MS = 1000;
/** The first PLI after media starts is answered once the start replay has had this long to arrive (pli-gate.ts). */
const FIRST_PLI_GAP_MS = 250;
/** An unanswered offer is sent again when the viewer asks for a restart, at most this often. */
const OFFER_REPEAT_GAP_MS = 1000;
/** After a restart's nomination the GOP goes out at once and once more this much later. */
const RESTART_GOP_AGAIN_MS = 400;
/** A relayed session moves to a direct pair found valid later at most once per this long (each move is an ICE restart). */
const DIRECT_MOVE_GAP_MS = 10_000;
/** After ICE failed on a live session the camera restarts ICE; it ends the session if ICE is not back by then. */
const FAILED_RECOVERY_MS = 10_000;

installWeriftShims();

export interface PeerSessionOptions {
  sessionId: string;
  iceServers: IceServer[];
  hub: MediaHub;
  device: DeviceInfo;
  /** The viewer's role from the grant the agent verified; gates control-channel messages. */
  role: SessionRole;
  /** Who the viewer is, for other viewers (talk floor): from the grant. */
  label?: string;
  /** The camera's controls (PTZ, settings…); absent: the data channel answers hello/ping only. */
  controls?: CameraControls;
  /**
   * Push-to-talk audio from this viewer (Opus RTP), when the camera can play it and the viewer may
   * talk: the audio m-line is then offered sendrecv (recvonly if the source has no microphone).
   */
  onTalkAudio?: (rtp: TalkRtp) => void;
  /** TURN endpoints that failed lately, shared by the agent's sessions (turn-choice.ts). */
  turnHealth?: TurnHealth;
  /**
   * Both sides' NAT types say no direct path can work (predictPath "relay"): a valid relayed pair
   * is nominated at once instead of being held for a direct pair (regular-nomination.ts).
   */
  relayOnly?: boolean;
  /** Add a 127.0.0.1 host candidate (werift skips loopback otherwise) — local demos and tests. */
  loopbackCandidates?: boolean;
  /** Called with the offer SDP as soon as createOffer() returns (before gathering ends). */
  sendOffer(sdp: string): void;
  /** Called per local candidate; an empty `candidate` means end-of-candidates. */
  sendCandidate(candidate: IceCandidate): void;
  /** Called once when the session ends for any reason other than close() by the caller. */
  onEnded(reason: string): void;
  logger: Logger;
  /** Give up if ICE+DTLS are not connected by then. */
  connectTimeoutMs?: number;
  /** Give up after this long in "disconnected" (consent freshness lost, RFC 7675). */
  disconnectedTimeoutMs?: number;
}

export interface PeerSession {
  readonly sessionId: string;
  readonly pc: RTCPeerConnection;
  /** The negotiated video codec once connected. */
  readonly videoCodec: string | undefined;
  start(): Promise<void>;
  applyAnswer(sdp: string): Promise<void>;
  addRemoteCandidate(candidate: IceCandidate): Promise<void>;
  /**
   * ICE restart asked for by the viewer (RFC 8445 §9): new ICE credentials, re-gathered
   * candidates and a new offer through sendOffer; DTLS and the media feeds carry on. Deferred
   * until the answer if an offer is outstanding.
   */
  restartIce(): Promise<void>;
  /** Closes without calling onEnded. Idempotent. */
  close(reason: string): Promise<void>;
  readonly closed: boolean;
  readonly connected: boolean;
}

export function createPeerSession(o: PeerSessionOptions): PeerSession {
  const log = o.logger;
  const t0 = performance.now();
  const turnHealth = o.turnHealth ?? createTurnHealth();
  const ice = chooseIceServers(o.iceServers, turnHealth, Date.now());
  if (ice.skipped.length > 0) {
    log.info({ event: "session_turn_fallback", sessionId: o.sessionId, skipped: ice.skipped, ...(ice.attempts[0] ? { using: ice.attempts[0].url } : {}) });
  }
  const pc = new RTCPeerConnection({
    // One ICE/DTLS transport for all m-lines (stack notes: max-compat makes three).
    bundlePolicy: "max-bundle",
    iceUseIpv6: false,
    // Host, server-reflexive and relay candidates all gathered ("all"; never relay-only here):
    // the viewer's ICE picks the best pair. TURN servers come from the edge with per-session
    // REST credentials (username/credential).
    iceTransportPolicy: "all",
    // Always pass ours: werift otherwise defaults to a public Google STUN server. werift gets the
    // STUN URL only; relays are gathered on every TURN transport by relay-gathering.ts.
    iceServers: ice.servers.map((s) => ({ urls: s.urls, username: s.username, credential: s.credential })),
    iceAdditionalHostAddresses: o.loopbackCandidates ? ["127.0.0.1"] : undefined,
    codecs: { video: videoCodecParameters(o.hub.source.videoCodecs), audio: audioCodecParameters() },
    // The viewer's minimum playout delay, raised on a lossy path (werift/playout-delay.ts).
    headerExtensions: { video: [playoutDelayHeaderExtension()] },
  });
  let video: RTCRtpTransceiver | undefined;
  let audio: RTCRtpTransceiver | undefined;
  const feeds: TrackFeed[] = [];
  // This viewer's SD/HD choice: moves the video feed between the hub's quality streams.
  const stream = createFeedStream(o.hub);
  let sessionControls: SessionControls | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  let connected = false;
  // First-time milestones for the lab benchmark's phase split (session_mark).
  const marked = new Set<SessionMark>();
  const mark = (m: SessionMark): void => {
    if (marked.has(m)) return;
    marked.add(m);
    log.info({ event: "session_mark", sessionId: o.sessionId, mark: m });
  };
  let videoCodec: string | undefined;
  let localReady: Promise<unknown> = Promise.resolve();
  /** A restart asked for while an offer was outstanding: done once the answer is applied. */
  let restartPending = false;
  /** When the latest restart offer (or its repeat) went out (see restart()). */
  let lastOfferAt = -Infinity;
  let restarts = 0;
  /** Resends the video GOP from its last keyframe (spaced by a PliGate). */
  let resendGop: ((force?: boolean) => void) | undefined;
  /** When the latest ICE restart began; cleared once its new pair is nominated (logged then). */
  let restartStartedAt: number | undefined;
  /** Restarts run one at a time (createOffer/setLocalDescription must not interleave). */
  let restartChain: Promise<void> = Promise.resolve();
  /** ICE failed on a live session and the camera's own restart is under way. */
  let recoveringFromFailure = false;
  const queueRestart = (): Promise<void> => {
    restartChain = restartChain.then(() => restart()).catch((e: Error) => {
      log.warn({ event: "session_error", sessionId: o.sessionId, message: `ice restart: ${e.message}` });
    });
    return restartChain;
  };
  let relayAllocated = false;
  let relayWarned = false;
  /** This session's attempts that failed (the agent-wide health also remembers older sessions'). */
  const relayFailed = new Set<string>();
  const relayPlan = {
    attempts: ice.attempts,
    onAllocated: (a: { url: string; transport: string }, ms: number) => {
      relayAllocated = true;
      turnHealth.markOk(a.url);
      log.info({ event: "session_turn_allocated", sessionId: o.sessionId, url: a.url, transport: a.transport, ms });
    },
    onFailed: (a: { url: string; transport: string }, ms: number, reason: string) => {
      turnHealth.markFailed(a.url, Date.now());
      relayFailed.add(a.url);
      log.info({ event: "session_turn_failed", sessionId: o.sessionId, url: a.url, transport: a.transport, ms, reason });
      // Every transport tried and none allocated: the camera can be reached only where a hole
      // can be punched. Said once, as a warning (unreachable server, or a refused credential).
      if (!relayAllocated && !relayWarned && ice.attempts.every((x) => relayFailed.has(x.url))) {
        relayWarned = true;
        log.warn({ event: "session_error", sessionId: o.sessionId, message: `no relay candidate: TURN unreachable on ${ice.attempts.map((x) => x.transport).join(", ")}, or it refused the credential (expired, wrong secret)` });
      }
    },
  };

  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  const end = (reason: string): void => {
    if (closed) return;
    void teardown();
    log.info({ event: "session_closed", sessionId: o.sessionId, reason, durationMs: Math.round(performance.now() - t0) });
    o.onEnded(reason);
  };

  const teardown = async (): Promise<void> => {
    closed = true;
    sessionControls?.close();
    for (const f of feeds.splice(0)) f.stop();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    try {
      // werift's close() leaves TURN allocations on the server for their lifetime; free them.
      const released = await releaseTurnAllocations(pc);
      if (released > 0) log.debug({ event: "session_state", sessionId: o.sessionId, state: `turn-released ${released}` });
      await pc.close();
    } catch {
      /* already closing */
    }
  };

  let mediaStarted = false;
  /** Once per session: at DTLS up (see onDtlsConnected), or at the latest at "connected". */
  const startMedia = (): void => {
    if (mediaStarted || closed) return;
    mediaStarted = true;
    for (const [kind, tr] of [["video", video], ["audio", audio]] as const) {
      if (!tr) continue;
      const sender = tr.sender;
      const codec = codecFromMimeType(sender.codec?.mimeType);
      // The viewer rejected this m-line or negotiated nothing we make.
      if (!codec || tr.currentDirection === "inactive" || tr.currentDirection === "recvonly") continue;
      if (kind === "video") videoCodec = codec;
      const feed = startTrackFeed({ hub: o.hub, codec, ...(kind === "video" ? { quality: stream.quality } : {}), send: (p) => {
        if (!marked.has("first_rtp_sent")) mark("first_rtp_sent");
        return sender.sendRtp(p);
      } });
      feeds.push(feed);
      if (kind === "video") {
        stream.attach(feed);
        answerPictureLoss(sender, feed);
      }
      log.info({ event: "session_media", sessionId: o.sessionId, kind, codec, replayPackets: feed.replayed });
    }
  };

  /**
   * The browser asks for a keyframe (PLI) when loss broke its decoder's references — after a
   * network cut longer than werift's NACK history (128 packets) can repair. The feed resends
   * the GOP so video resumes now instead of at the encoder's next keyframe (the demo clip has
   * one every 6 s). Spaced by pli-gate.ts: the first answer once the start replay had time to
   * arrive, then at most once a second.
   */
  const answerPictureLoss = (sender: RTCRtpSender, feed: TrackFeed): void => {
    const gate = createPliGate({ startedAt: performance.now(), firstGapMs: FIRST_PLI_GAP_MS, gapMs: PLI_RESEND_GAP_MS, now: () => performance.now() });
    resendGop = (force = false) => {
      if (closed || !gate.allow(force)) return;
      const packets = feed.resendFromKeyframe();
      if (packets > 0) log.info({ event: "session_keyframe_resent", sessionId: o.sessionId, packets });
    };
    sender.onPictureLossIndication.subscribe(() => resendGop?.());
  };

  const restart = async (): Promise<void> => {
    if (closed) return;
    // The previous offer must be applied (werift gathers inside setLocalDescription) and
    // answered: an offer/answer exchange cannot overlap another (JSEP RFC 8829 §4.1.10).
    await localReady;
    if (closed) return;
    if (pc.signalingState !== "stable") {
      restartPending = true;
      // Asked again while our offer is unanswered: the viewer may never have got it — its
      // signaling socket died with its old address (a phone leaving Wi-Fi) and the offer with
      // it — and would wait for it forever. Send it again (with the candidates gathered since,
      // werift puts them in localDescription); a duplicate answer is ignored (applyAnswer).
      const now = performance.now();
      if (now - lastOfferAt >= OFFER_REPEAT_GAP_MS) {
        lastOfferAt = now;
        const sdp = pc.localDescription?.sdp;
        if (sdp) {
          o.sendOffer(sdp);
          log.info({ event: "session_offer_repeated", sessionId: o.sessionId });
        }
      }
      return;
    }
    restartPending = false;
    restarts += 1;
    restartStartedAt = performance.now();
    // iceRestart: new ufrag/pwd (werift's Connection.restart also clears the nominated pair,
    // so the shim's "no checks once nominated" rule lets the new generation check again). The
    // DTLS association is kept: an ICE restart does not re-handshake DTLS (RFC 8445 §9).
    const offer = await pc.createOffer({ iceRestart: true });
    o.sendOffer(offer.sdp);
    lastOfferAt = performance.now();
    log.info({ event: "session_ice_restart", sessionId: o.sessionId, restarts });
    localReady = pc.setLocalDescription(offer).catch((e: Error) => {
      if (!closed) log.warn({ event: "session_error", sessionId: o.sessionId, message: `setLocalDescription (restart): ${e.message}` });
    });
  };

  /**
   * werift fails the transport when consent to send expires (RFC 7675: no consent response for
   * 30 s), though the viewer may still be there — a link that keeps dropping can swallow every
   * check — and keeps the transport usable for an ICE restart. So a live session gets one
   * restart from the camera's side (RFC 8445 §9: either agent may restart) and ends only if ICE
   * is not back within FAILED_RECOVERY_MS.
   */
  const recoverOrEnd = (): void => {
    if (!connected || recoveringFromFailure) return end("peer connection failed");
    recoveringFromFailure = true;
    log.warn({ event: "session_error", sessionId: o.sessionId, message: "ICE failed (consent expired): restarting ICE" });
    void queueRestart();
    later(FAILED_RECOVERY_MS, () => {
      const ice = pc.iceConnectionState;
      if (ice === "connected" || ice === "completed") recoveringFromFailure = false;
      else end("peer connection failed");
    });
  };

  // How each pair was chosen, at the first connect and after every restart (with how long the
  // restart took): a relayed session says why it relayed.
  const logNomination = (trace: string): void => {
    if (closed) return;
    const since = restartStartedAt;
    restartStartedAt = undefined;
    const head = since === undefined ? "" : `restart ${restarts}, nominated ${Math.round(performance.now() - since)} ms after it: `;
    log.info({ event: "session_ice_nomination", sessionId: o.sessionId, trace: head + trace });
    // A restart follows a broken path, so the browser's decoder has lost references. It would
    // ask for a keyframe only once NACKs fail (~1.5 s in the NAT lab): send the GOP now.
    if (since !== undefined) {
      resendGop?.(true);
      later(RESTART_GOP_AGAIN_MS, () => resendGop?.(true));
    }
  };

  /**
   * Back to the best path (issue 10): a session nominated on a relay whose direct pair became
   * valid afterwards restarts ICE; the restart's checks find the direct pair valid at once (the
   * NATs' holes are open) and regular nomination takes it. At most once per DIRECT_MOVE_GAP_MS.
   */
  let lastDirectMove = -Infinity;
  const moveToDirect = (pair: string): void => {
    if (closed || !connected || recoveringFromFailure) return;
    const now = performance.now();
    if (now - lastDirectMove < DIRECT_MOVE_GAP_MS) return;
    lastDirectMove = now;
    log.info({ event: "session_path_upgrade", sessionId: o.sessionId, pair });
    expectDirectPath(pc);
    void queueRestart();
  };

  pc.connectionStateChange.subscribe((state) => {
    log.debug({ event: "session_state", sessionId: o.sessionId, state });
    if (closed) return;
    if (state === "connected" && !connected) {
      connected = true;
      log.info({ event: "session_connected", sessionId: o.sessionId, ms: Math.round(performance.now() - t0) });
      startMedia();
    } else if (state === "failed") recoverOrEnd();
    else if (state === "closed") end("peer connection closed");
    else if (state === "disconnected") {
      later(o.disconnectedTimeoutMs ?? 15_000, () => {
        if (pc.connectionState === "disconnected") end("peer connection disconnected");
      });
    }
  });

  pc.onIceCandidate.subscribe((c) => {
    if (closed) return;
    if (!c) {
      o.sendCandidate({ candidate: "", sdpMid: video?.mid ?? "0", sdpMLineIndex: 0 });
      return;
    }
    const j = c.toJSON();
    o.sendCandidate({
      candidate: j.candidate,
      sdpMid: j.sdpMid ?? null,
      sdpMLineIndex: j.sdpMLineIndex ?? null,
      ...(j.usernameFragment ? { usernameFragment: j.usernameFragment } : {}),
    });
  });

  return {
    sessionId: o.sessionId,
    pc,
    get videoCodec() {
      return videoCodec;
    },
    get closed() {
      return closed;
    },
    get connected() {
      return connected;
    },
    async start() {
      video = pc.addTransceiver("video", { direction: "sendonly" });
      // One audio m-line both ways (camera mic → viewer, viewer's talk → camera) rather than a
      // second recvonly transceiver: no extra m-line or SSRC to demultiplex, and the browser
      // attaches its microphone to the same transceiver with replaceTrack — no renegotiation.
      const talkIn = o.onTalkAudio;
      if (o.hub.source.audio || talkIn) {
        audio = pc.addTransceiver("audio", { direction: !talkIn ? "sendonly" : o.hub.source.audio ? "sendrecv" : "recvonly" });
      }
      if (audio && talkIn) {
        audio.onTrack.subscribe((track) => {
          track.onReceiveRtp.subscribe((rtp) => {
            if (!closed) talkIn({ sequence: rtp.header.sequenceNumber, timestamp: rtp.header.timestamp, payload: rtp.payload });
          });
        });
      }
      const dc = pc.createDataChannel(CONTROL_CHANNEL_LABEL, { ordered: true });
      // Binary transfers (snapshots, recordings) on their own channel: an SCTP stream of its
      // own, so a download never delays a control reply queued behind it (RFC 8831 §6.6).
      const bulk = pc.createDataChannel(BULK_CHANNEL_LABEL, { ordered: true });
      if (o.controls) {
        sessionControls = bindSessionControls({
          sessionId: o.sessionId,
          role: o.role,
          label: o.label ?? o.role,
          controls: o.controls,
          control: dc,
          bulk,
          stream,
          logger: log,
        });
      }
      bulk.onMessage.subscribe(() => {
        log.warn({ event: "datachannel_bad_message", sessionId: o.sessionId, code: "malformed_message", detail: "viewers send nothing on the bulk channel" });
      });
      dc.stateChanged.subscribe((s) => {
        if (s === "open") log.debug({ event: "datachannel_open", sessionId: o.sessionId });
      });
      dc.onMessage.subscribe((raw) => {
        const r = handleControlMessage(raw, o.device, o.role);
        if (r.request) {
          if (sessionControls) sessionControls.handle(r.request);
          else if (dc.readyState === "open") {
            dc.send(JSON.stringify({ type: "res", id: r.request.id, ok: false, error: { code: "unsupported", message: "This camera has no controls." } }));
          }
          return;
        }
        if (r.bad) log.warn({ event: "datachannel_bad_message", sessionId: o.sessionId, ...r.bad });
        if (r.reply && dc.readyState === "open") {
          try {
            dc.send(JSON.stringify(r.reply));
          } catch (e) {
            log.warn({ event: "session_error", sessionId: o.sessionId, message: `data channel send: ${(e as Error).message}` });
          }
        }
      });
      const offer = await pc.createOffer();
      holdEarlyDtls(pc);
      // Relays on every TURN transport, raced (turn-choice.ts); gathering starts in setLocalDescription.
      gatherRelaysWith(pc, relayPlan);
      // The ICE transport exists once the offer is made (one, bundled).
      onNomination(pc, logNomination);
      if (o.relayOnly) expectRelayOnly(pc);
      // Media needs DTLS-SRTP only. werift reports "connected" once the data channel's SCTP
      // association is up too (INIT … COOKIE-ACK: two more round trips, RFC 9260 §5.1), and
      // waiting for it held the first frame back by those round trips (issue 12, item 3). Media
      // starts when our side of DTLS is done, right behind our last flight (media-start.ts); the
      // viewer's first application data (browsers send their SCTP INIT the moment their DTLS is
      // done) only checks that it did not come much later, and werift's "connected" stays the
      // fallback.
      for (const transport of pc.dtlsTransports) {
        transport.onStateChange.subscribe((state) => {
          if (state !== "connected" || mediaStarted || closed) return;
          log.info({ event: "session_mark", sessionId: o.sessionId, mark: "dtls_connected" });
          const startedAt = performance.now();
          // After werift's own microtasks: its last flight goes to the socket before our first RTP.
          setImmediate(startMedia);
          const server = (transport as unknown as { dtls?: { onData: { subscribe(cb: () => void): { unSubscribe(): void } } } }).dtls;
          const first = server?.onData.subscribe(() => {
            first?.unSubscribe();
            if (closed) return;
            log.info({ event: "session_mark", sessionId: o.sessionId, mark: "viewer_dtls_done" });
            const rtt = iceRttSeconds((transport.iceTransport as unknown as { connection?: unknown }).connection);
            if (startReplayMissed(performance.now() - startedAt, rtt === undefined ? undefined : rtt * 1000)) {
              log.info({ event: "session_state", sessionId: o.sessionId, state: "viewer's DTLS done late: start replay sent again" });
              resendGop?.(true);
            }
          });
        });
      }
      onDirectPathAfterRelay(pc, moveToDirect);
      // setLocalDescription resolves only after gathering ends (incl. STUN/TURN, seconds with a
      // bad TURN server): send the SDP now and let the candidates trickle.
      o.sendOffer(offer.sdp);
      log.info({ event: "session_offer_sent", sessionId: o.sessionId, ms: Math.round(performance.now() - t0) });
      localReady = pc.setLocalDescription(offer).catch((e: Error) => {
        if (!closed) {
          log.warn({ event: "session_error", sessionId: o.sessionId, message: `setLocalDescription: ${e.message}` });
          end("local description failed");
        }
      });
      later(o.connectTimeoutMs ?? 30_000, () => {
        if (!connected) end("connect timeout");
      });
    },
    async applyAnswer(sdp) {
      if (closed) return;
      mark("answer_received");
      // werift must have applied its offer before it can take the answer.
      await Promise.race([localReady, new Promise((r) => setTimeout(r, 0))]);
      // A second answer to an offer we repeated (restart()): the first one was applied already.
      if (pc.signalingState === "stable" && connected) {
        log.debug({ event: "session_state", sessionId: o.sessionId, state: "duplicate answer ignored" });
        return;
      }
      try {
        await pc.setRemoteDescription({ type: "answer", sdp });
      } catch (e) {
        log.warn({ event: "session_error", sessionId: o.sessionId, message: `bad answer: ${(e as Error).message}` });
        end("bad answer");
        return;
      }
      if (restarts > 0) {
        startRestartedIce(pc, (e) => log.warn({ event: "session_error", sessionId: o.sessionId, message: `ice restart: ${e.message}` }));
      }
      if (restartPending) void this.restartIce();
    },
    restartIce() {
      return queueRestart();
    },
    async addRemoteCandidate(candidate) {
      if (closed) return;
      if (candidate.candidate) mark("first_remote_candidate");
      try {
        // An empty candidate is the viewer's end-of-candidates (RFC 8838 §8.2): werift records
        // it, and the nomination stops waiting for direct candidates (regular-nomination.ts).
        await pc.addIceCandidate({
          candidate: candidate.candidate,
          sdpMid: candidate.sdpMid ?? undefined,
          sdpMLineIndex: candidate.sdpMLineIndex ?? undefined,
          usernameFragment: candidate.usernameFragment ?? undefined,
        });
      } catch (e) {
        // One bad candidate is not fatal: others may still connect.
        log.debug({ event: "session_error", sessionId: o.sessionId, message: `candidate: ${(e as Error).message}` });
      }
    },
    async close(reason) {
      if (closed) return;
      log.info({ event: "session_closed", sessionId: o.sessionId, reason, durationMs: Math.round(performance.now() - t0) });
      await teardown();
    },
  };
}
