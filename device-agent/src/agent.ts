// Why: wires the signaling socket to per-viewer peer sessions and the media hub. Each session
// is independent: one failing (or throwing) never touches another or the socket.
import { DEVICE_EVENT_MESSAGE, DEVICE_STATUS_MESSAGE, PROTOCOL_VERSION, assertNever, natSideOf, predictPath, type EdgeToDevice, type IceServer, type NatSide, type SessionRole } from "../../protocol/index.ts";
import { createDefaultReconnectPolicy, type ReconnectPolicy } from "../../protocol/reconnect-policy.ts";
import { can } from "../../protocol/roles.ts";
import type { CameraControls } from "./controls/camera-controls.ts";
import type { TalkAudioBus, TalkRtp } from "./controls/talk/index.ts";
import type { AgentError } from "./errors.ts";
import type { GrantVerifier } from "./grant/grant-verifier.ts";
import type { Logger } from "./log.ts";
import { createMediaHub, type MediaHub } from "./media/media-hub.ts";
import { createNatMonitor, type NatMonitor, type StunTarget } from "./nat/monitor.ts";
import type { MediaSource } from "./media/source.ts";
import { deviceSocketUrl } from "./signaling/edge-url.ts";
import { createSignalingClient, type SignalingClient } from "./signaling/signaling-client.ts";
import { AGENT_VERSION } from "./version.ts";
import { createPeerSession, type PeerSession } from "./webrtc/peer-session.ts";
import { warmUpWebrtc } from "./webrtc/warm-up.ts";
import { createTurnHealth } from "./webrtc/turn-choice.ts";

export const DEFAULT_MAX_SESSIONS = 10;

export interface AgentOptions {
  edge: string;
  serial: string;
  token: string;
  name: string;
  source: MediaSource;
  loopbackCandidates: boolean;
  /** Replaces the edge's iceServers for every session (debugging, private TURN). */
  iceServersOverride?: IceServer[];
  maxSessions?: number;
  policy?: ReconnectPolicy;
  logger: Logger;
  /** Verifies each session's grant before a peer connection is made for it. */
  grants: GrantVerifier;
  /** Builds the camera's controls over the data channel (PTZ, settings, talk, snapshots, recordings). */
  controls?: (hub: MediaHub) => CameraControls;
  /** Where sessions deliver received talk audio (the talk feature listens on it). */
  talkAudio?: TalkAudioBus;
  /**
   * The STUN server NAT behaviour discovery asks (RFC 5780: coturn with two addresses). Without
   * it, discovery uses the edge's (welcome.stun), or else the first session's ICE servers'.
   */
  natStunServer?: StunTarget;
  /** A second STUN server on another IP, for the mapping test when the first lacks RFC 5780. */
  natAltServer?: StunTarget;
}

export interface Agent {
  start(): Promise<void>;
  stop(reason: string): Promise<void>;
  /** Resolves when the agent stops: null after stop(), the error after a permanent failure. */
  readonly done: Promise<AgentError | null>;
  readonly sessions: ReadonlyMap<string, PeerSession>;
  readonly hub: MediaHub;
  readonly controls: CameraControls | undefined;
  /** The camera's NAT behaviour discovery (nat/): its latest report, for status and doctor. */
  readonly nat: NatMonitor;
}

export function createAgent(o: AgentOptions): Agent {
  const log = o.logger;
  const maxSessions = o.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessions = new Map<string, PeerSession>();
  // Which TURN endpoints failed lately: later sessions use the edge's fallback region instead.
  const turnHealth = createTurnHealth();
  /** Sessions whose grant is being verified; a session-end meanwhile cancels the start. */
  const verifying = new Map<string, { cancelled: boolean }>();
  const hub = createMediaHub(o.source);
  const controls = o.controls?.(hub);
  /** Whether the edge said (in welcome.accepts) that it keeps the device's status. */
  let edgeAcceptsStatus = false;
  /** Whether the edge takes camera events (motion starts) to notify people; an older edge would
   * refuse the frame (1008), so none is sent unless its welcome lists it. */
  let edgeAcceptsEvents = false;
  // Names and times only: the picture stays on the camera (controls/ motion feature).
  const offCameraEvents = controls?.onCameraEvent((event) => {
    if (!edgeAcceptsEvents) return;
    const sent = signaling.send({ type: "event", event });
    log.info({ event: "feature", feature: "motion", action: sent ? "event_sent_to_edge" : "event_not_sent_offline", detail: event.id });
  });
  /** Reports the latest NAT behaviour to the edge, which keeps it on the device row (issue 11). */
  const sendStatus = (): void => {
    const r = nat.last;
    if (!r || !edgeAcceptsStatus) return;
    const { natType, mapping, filtering, hairpinning, udpBlocked, rfc5780 } = r;
    signaling.send({ type: "status", nat: { natType, mapping, filtering, hairpinning, udpBlocked, rfc5780, at: natAt } });
  };
  let natAt = 0;
  const nat = createNatMonitor({
    onReport: (r, reason) => {
      const { natType, mapping, filtering, hairpinning, udpBlocked, rfc5780, server, durationMs, error } = r;
      log.info({ event: "nat_discovered", reason, natType, mapping, filtering, hairpinning, udpBlocked, rfc5780, server, durationMs, ...(r.mappedAddress ? { mappedAddress: `${r.mappedAddress.ip}:${r.mappedAddress.port}` } : {}), ...(error ? { error } : {}) });
      natAt = Date.now();
      sendStatus();
    },
  });
  if (o.natStunServer) nat.setServers(o.natStunServer, o.natAltServer);
  let resolveDone!: (v: AgentError | null) => void;
  const done = new Promise<AgentError | null>((r) => (resolveDone = r));
  let stopping = false;

  const closeAll = async (reason: string): Promise<void> => {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.allSettled(all.map((s) => s.close(reason)));
  };

  const signaling: SignalingClient = createSignalingClient({
    url: deviceSocketUrl(o.edge, o.serial),
    token: o.token,
    // Sessions still connected when the socket came back (onDisconnected dropped the others):
    // the edge keeps their viewers and ends any it no longer knows with session-end.
    hello: () => ({
      type: "hello",
      v: PROTOCOL_VERSION,
      agent: { version: AGENT_VERSION, source: o.source.description.slice(0, 64), videoCodecs: [...o.source.videoCodecs], audio: o.source.audio },
      sessions: [...sessions.keys()].slice(0, 64),
    }),
    policy: o.policy ?? createDefaultReconnectPolicy(),
    logger: log,
    onMessage: (msg) => {
      try {
        handle(msg);
      } catch (e) {
        log.error({ event: "session_error", sessionId: "sessionId" in msg && msg.sessionId ? msg.sessionId : "-", message: (e as Error).message });
      }
    },
    onConnected: (welcome) => {
      // Again on every (re)connection: the edge may have missed a report while it was away.
      edgeAcceptsStatus = welcome.accepts?.includes(DEVICE_STATUS_MESSAGE) ?? false;
      edgeAcceptsEvents = welcome.accepts?.includes(DEVICE_EVENT_MESSAGE) ?? false;
      // The edge's STUN servers for discovery at start (unless --nat-stun chose one).
      if (welcome.stun?.length) nat.learnFrom([{ urls: welcome.stun }]);
      sendStatus();
    },
    onDisconnected: () => {
      // Connected sessions are peer-to-peer and keep playing; ones still negotiating cannot
      // finish without signaling, so drop them.
      for (const [id, s] of sessions) {
        if (!s.connected) {
          sessions.delete(id);
          void s.close("signaling lost before connect");
        }
      }
    },
    onFatal: (error) => {
      log.error({ event: "agent_fatal", code: error.code, message: error.message });
      void shutdown().then(() => resolveDone(error));
    },
  });

  const handle = (msg: EdgeToDevice): void => {
    switch (msg.type) {
      case "welcome":
        return; // the signaling client hands it to onConnected
      case "session-start":
        log.info({ event: "session_mark", sessionId: msg.sessionId, mark: "start_received" });
        return void admitSession(msg.sessionId, msg.iceServers, msg.grant);
      case "answer": {
        const s = sessions.get(msg.sessionId);
        if (s) void s.applyAnswer(msg.sdp);
        return;
      }
      case "candidate": {
        const s = sessions.get(msg.sessionId);
        if (s) void s.addRemoteCandidate(msg.candidate);
        return;
      }
      case "restart": {
        const s = sessions.get(msg.sessionId);
        if (s) void s.restartIce();
        return;
      }
      case "session-end": {
        const pending = verifying.get(msg.sessionId);
        if (pending) pending.cancelled = true;
        const s = sessions.get(msg.sessionId);
        if (s) {
          sessions.delete(msg.sessionId);
          void s.close(`viewer left: ${msg.reason}`);
        }
        return;
      }
      case "error":
        // The edge refused one of our messages. If it names a session still negotiating, that
        // session cannot succeed: end it so the viewer is told promptly.
        if (msg.sessionId) {
          const s = sessions.get(msg.sessionId);
          if (s && !s.connected) {
            sessions.delete(msg.sessionId);
            void s.close(`edge error ${msg.code}`);
            signaling.send({ type: "bye", sessionId: msg.sessionId, reason: msg.code });
          }
        }
        return;
      default:
        return assertNever(msg);
    }
  };

  /** Verifies the grant itself before any peer connection exists; refuses with bye otherwise. */
  const admitSession = async (sessionId: string, iceServers: IceServer[], grant: string): Promise<void> => {
    const ticket = { cancelled: false };
    verifying.set(sessionId, ticket);
    let role: SessionRole;
    let label: string | undefined;
    let viewerNat: NatSide | undefined;
    try {
      ({ role, name: label, viewerNat } = await o.grants.verify(grant, sessionId));
    } catch (e) {
      const reason = `grant_invalid: ${(e as Error).message}`.slice(0, 200);
      log.warn({ event: "session_refused", sessionId, reason });
      signaling.send({ type: "bye", sessionId, reason });
      return;
    } finally {
      if (verifying.get(sessionId) === ticket) verifying.delete(sessionId);
    }
    if (ticket.cancelled) return;
    startSession(sessionId, iceServers, role, label, viewerNat);
  };

  const startSession = (sessionId: string, iceServers: IceServer[], role: SessionRole, label?: string, viewerNat?: NatSide): void => {
    if (stopping) return;
    const existing = sessions.get(sessionId);
    if (existing) {
      // A repeated session-start (edge retry) restarts negotiation from scratch.
      sessions.delete(sessionId);
      void existing.close("restarted by edge");
    }
    if (sessions.size >= maxSessions) {
      log.warn({ event: "session_refused", sessionId, reason: `limit of ${maxSessions} sessions` });
      signaling.send({ type: "bye", sessionId, reason: "session_limit" });
      return;
    }
    const slog = log.child({ sessionId });
    const servers = o.iceServersOverride ?? iceServers;
    nat.learnFrom(servers);
    // Both NATs known and no direct path possible between them: the relay is nominated as soon as
    // it is valid instead of waiting RELAY_HOLD_MS for a direct pair (issue 12, item 3).
    const prediction = predictPath(natSideOf(nat.last), viewerNat ?? null);
    log.info({ event: "session_start", sessionId, role, iceServers: servers.length, active: sessions.size + 1, predictedPath: prediction.path });
    const session = createPeerSession({
      sessionId,
      iceServers: servers,
      turnHealth,
      hub,
      device: { serial: o.serial, name: controls?.name() ?? o.name, source: o.source.description, ...(controls ? { features: controls.features } : {}) },
      role,
      ...(label ? { label } : {}),
      ...(controls ? { controls } : {}),
      // Talk audio is received only where the camera can play it and this viewer may talk.
      ...(o.talkAudio && controls?.features.talk && can(role, "talk") ? { onTalkAudio: (rtp: TalkRtp) => o.talkAudio?.deliver(sessionId, rtp) } : {}),
      loopbackCandidates: o.loopbackCandidates,
      relayOnly: prediction.path === "relay",
      logger: slog,
      sendOffer: (sdp) => signaling.send({ type: "offer", sessionId, sdp }),
      sendCandidate: (candidate) => signaling.send({ type: "candidate", sessionId, candidate }),
      onEnded: (reason) => {
        if (sessions.get(sessionId) === session) sessions.delete(sessionId);
        signaling.send({ type: "bye", sessionId, reason: reason.slice(0, 200) });
      },
    });
    sessions.set(sessionId, session);
    session.start().catch((e: Error) => {
      log.error({ event: "session_error", sessionId, message: e.message });
      if (sessions.get(sessionId) === session) sessions.delete(sessionId);
      void session.close("start failed");
      signaling.send({ type: "bye", sessionId, reason: "device failed to start the session" });
    });
  };

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (shutdownPromise ??= (async () => {
      stopping = true;
      nat.stop();
      await closeAll("agent stopping");
      offCameraEvents?.();
      await signaling.stop();
      await controls?.stop();
      hub.close();
      await o.source.stop();
    })());

  o.source.onFatal((e) => {
    log.error({ event: "source_error", source: o.source.description, message: e.message });
  });

  return {
    hub,
    controls,
    nat,
    sessions,
    done,
    async start() {
      await o.grants.init();
      // Before the socket opens, so no session-start can race the certificate's generation.
      await warmUpWebrtc(log);
      await o.source.start();
      log.info({ event: "source_started", source: o.source.description });
      signaling.start();
      nat.start();
    },
    async stop(reason) {
      log.info({ event: "agent_stopping", reason });
      // Tell the edge each viewer is gone before the socket closes.
      for (const id of sessions.keys()) signaling.send({ type: "bye", sessionId: id, reason: "device shutting down" });
      await shutdown();
      resolveDone(null);
    },
  };
}
