// Why: runs one viewing attempt end to end — ticket, signaling socket, the answering peer
// connection, stats and the control channel — and reports every step as a SessionEvent.
// The device offers (it owns the media); we answer (JSEP, RFC 8829 §5.3).
import { codeFromCloseReason, closeReason } from "../../../protocol/errors.ts";
import { parseMessage, assertNever } from "../../../protocol/parse.ts";
import { CONTROL_CHANNEL_LABEL } from "../../../protocol/data-channel.ts";
import { BULK_CHANNEL_LABEL } from "../../../protocol/controls.ts";
import type { IceCandidate, IceServer } from "../../../protocol/ice.ts";
import { PROTOCOL_VERSION, isSupportedVersion } from "../../../protocol/version.ts";
import { EdgeToViewerSchema, VIEWER_RESUME_GRACE_MS, type ViewerToEdge } from "../../../protocol/viewer-edge.ts";
import { createDefaultReconnectPolicy } from "../../../protocol/reconnect-policy.ts";
import { browserFamily } from "../lib/browser-family.ts";
import { browserSupport } from "../lib/browser-support.ts";
import { endOfCandidates } from "../lib/end-of-candidates.ts";
import { bytesReceivedTotal, readVideoStats, type VideoStats } from "../lib/media-stats.ts";
import { classifyPath, pathSettled, type PathKind, type StatLike } from "../lib/path-classification.ts";
import { relayForced } from "../lib/relay-reason.ts";
import { ACCESS_ENDING_CODES, mediaConnected, type SessionEvent, type UiError } from "../lib/session-state.ts";
import { isPong, startKeepalive } from "../lib/signaling-keepalive.ts";
import { resumeUrl, signalingUrl, watchUrl } from "../lib/ws-url.ts";
import { lastViewerNat } from "../nat/viewer-nat-cache.ts";
import { createSession } from "./api.ts";
import { attachControlChannel } from "./control-channel.ts";
import { ControlClient } from "./control-client.ts";
import { FLOW_CHECK_MS, iceStateSeen, newRecoveryState, nextRestartStep, observeMediaFlow, RESTART_POLICY_MS, signalingResumed, type RecoveryState } from "./ice-recovery.ts";
import { watchNetwork } from "./network-watch.ts";
import { sendSessionReport } from "./report-sender.ts";
import { SessionReporter } from "./session-reporter.ts";
import type { SessionStore } from "./store.ts";
import { TalkSender } from "./talk-sender.ts";

/** How long each step may take before we tell the user instead of spinning forever. */
export const TIMEOUTS_MS = {
  /** welcome → the device's offer. */
  offer: 15_000,
  /** answer sent → ICE connected (Chromium's own ICE failure takes ~30 s). */
  ice: 20_000,
  /** DTLS connected → first decoded frame. */
  firstFrame: 10_000,
} as const;

/**
 * Signaling resume: the edge keeps a session VIEWER_RESUME_GRACE_MS after its socket drops.
 * Media plays on peer-to-peer meanwhile; we reconnect with backoff and give up 3 s before the
 * edge would (then the socket counts as lost, as before resume existed).
 */
const RESUME_POLICY = createDefaultReconnectPolicy({ delaysMs: [0, 500, 1000, 2000, 3000], maxElapsedMs: VIEWER_RESUME_GRACE_MS - 3_000 });
/**
 * A socket that hears nothing (not even the edge's pong to our 5 s ping) for this long is dead
 * though the browser still calls it open (a network change leaves TCP half-open): drop and
 * resume it. A resume socket still connecting after RESUME_CONNECT_MS is given up likewise.
 */
const SIGNALING_SILENCE_MS = 12_000;
const RESUME_CONNECT_MS = 5_000;

const STATS_INTERVAL_MS = 1000;
/**
 * `?relay=1` on the URL the app was opened with: relay-only ICE for diagnostics and tests. Read
 * once at load (in-app navigation may drop the query) and kept in memory only, never stored.
 */
const RELAY_FORCED_AT_LOAD = typeof location !== "undefined" && relayForced(location.search);
const CLIENT = `porthole-web/${import.meta.env.VITE_APP_VERSION ?? "0.1.0"}`;

declare global {
  interface Window {
    /** Test/debug aid: drops the signaling socket (the session resumes it); false if none is open. */
    __portholeDropSignaling?: () => boolean;
  }
}

export interface ViewerSessionDeps {
  store: SessionStore;
  /** The <video> element the stream plays in. */
  video(): HTMLVideoElement | null;
  now?(): number;
  /**
   * "pictures": a short session that only fetches event pictures over the data channel (the
   * /events page): it sends no session report, so the fleet's connection figures count only
   * people watching. Default "watch".
   */
  purpose?: "watch" | "pictures";
}

/** Everything one attempt owns, so a retry never hears the previous attempt's callbacks. */
interface Attempt {
  abort: AbortController;
  ws: WebSocket | null;
  pc: RTCPeerConnection | null;
  pendingCandidates: IceCandidate[];
  timers: Set<ReturnType<typeof setTimeout>>;
  stopPings: (() => void) | null;
  /** Stops the signaling socket's "ping" heartbeat. */
  stopKeepalive: (() => void) | null;
  lastVideo: VideoStats | null;
  /** When the video figures and the path were last read (or the peer connection made). */
  statsAt: number | null;
  /** Since when the browser's selected pair has been un-nominated, any pair (path-classification.ts pathSettled). */
  unsettledSince: number | null;
  watchingFirstFrame: boolean;
  /** The path already reported to the edge (once, for the owner's session history). */
  reportedPath: PathKind | null;
  /** iceTransportPolicy "relay" for this attempt (?relay=1). */
  forcedRelay: boolean;
  /** ICE restart bookkeeping: when it went down, the last ask, the byte count (ice-recovery.ts). */
  recovery: RecoveryState;
  /** A restart check is scheduled while the signaling socket is down. */
  restartWaiting: boolean;
  /** Removes the online / network-change listeners. */
  stopNetworkWatch: (() => void) | null;
  /** Camera controls over the data channel, once the device opened it. */
  controls: ControlClient | null;
  /** The bulk channel when it opened before the control channel. */
  bulk: RTCDataChannel | null;
  /** Signaling resume: where and as which session to reconnect, and the current token. */
  signal: { wsPath: string; sessionId: string; resumeToken: string | null; resuming: { since: number; retries: number } | null } | null;
  /** Push-to-talk: the microphone on the camera's audio m-line. */
  talk: TalkSender;
  /** The session's own report to the edge, sent once as it ends (session-reporter.ts). */
  reporter: SessionReporter;
}

export class ViewerSession {
  private attempt: Attempt | null = null;
  private readonly now: () => number;
  private readonly deps: ViewerSessionDeps;

  constructor(deps: ViewerSessionDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => performance.now());
    if (typeof window !== "undefined") {
      // The first session (the app's own) keeps the handle: the multi-view's tiles come later.
      window.__portholeDropSignaling ??= () => this.dropSignaling();
      // The page is going away (tab closed, navigation): the session ends with it, so report now.
      window.addEventListener("pagehide", this.onPageHide);
      // A phone may never run this page again once it is in the background.
      document.addEventListener("visibilitychange", this.onVisibility);
    }
  }

  private readonly onPageHide = (): void => this.attempt?.reporter.final();
  private readonly onVisibility = (): void => {
    if (document.visibilityState === "hidden") this.attempt?.reporter.interim();
  };

  /**
   * Ends the session and lets go of the page's events: for sessions that come and go with a
   * screen (the multi-view's tiles), where the app's one session lives as long as the page.
   */
  dispose(): void {
    this.disconnect();
    if (typeof window === "undefined") return;
    window.removeEventListener("pagehide", this.onPageHide);
    document.removeEventListener("visibilitychange", this.onVisibility);
  }

  /**
   * Starts a new attempt (ending any current one). Signed-in users pass only the serial (the
   * session cookie says who they are); without an account the label's access code is needed.
   */
  async connect(serial: string, accessCode?: string): Promise<void> {
    this.end(null);
    // No WebRTC (Debian's WebKitGTK, old browsers): say so without starting anything, so the
    // stage list never shows a signaling failure for signaling that never began.
    if (!browserSupport().webrtc) return this.deps.store.dispatch({ type: "unsupported" });
    const a: Attempt = {
      abort: new AbortController(),
      ws: null,
      pc: null,
      pendingCandidates: [],
      timers: new Set(),
      stopPings: null,
      stopKeepalive: null,
      lastVideo: null,
      statsAt: null,
      unsettledSince: null,
      watchingFirstFrame: false,
      reportedPath: null,
      forcedRelay: false,
      recovery: newRecoveryState(),
      restartWaiting: false,
      stopNetworkWatch: null,
      controls: null,
      bulk: null,
      signal: null,
      talk: new TalkSender(),
      reporter: new SessionReporter({
        state: () => this.deps.store.getState(),
        now: this.now,
        browser: browserFamily(navigator.userAgent),
        send: (sessionId, token, report) => {
          if (this.deps.purpose !== "pictures") sendSessionReport(sessionId, token, report);
        },
      }),
    };
    this.attempt = a;
    this.deps.store.dispatch({ type: "connect", at: this.now(), viewerNat: lastViewerNat(), forcedRelay: RELAY_FORCED_AT_LOAD || relayForced(location.search) });

    // The connection test's latest verdict goes with the grant: the camera skips waiting for a
    // direct path both NATs rule out (protocol/http.ts viewerNat).
    const viewerNat = lastViewerNat()?.side;
    if (accessCode === undefined) {
      // Signed in: grant and socket in one request (protocol/viewer-edge.ts WATCH_SOCKET_PREFIX);
      // the session id arrives first on the socket (session-info). A resume uses /ws/view.
      a.signal = { wsPath: `/ws/view/${encodeURIComponent(serial)}`, sessionId: "", resumeToken: null, resuming: null };
      this.openSignaling(a, watchUrl(location.href, serial, PROTOCOL_VERSION, viewerNat), false, false);
      return;
    }
    let ticket;
    try {
      ticket = await createSession({ serial, accessCode, ...(viewerNat ? { viewerNat } : {}) }, a.abort.signal);
    } catch {
      return; // aborted by a newer attempt or a disconnect
    }
    if (!ticket.ok) return this.fail(a, ticket.error);
    a.reporter.granted(ticket.value.sessionId, ticket.value.reportToken);
    this.emit(a, { type: "ticket", sessionId: ticket.value.sessionId, cameraNat: ticket.value.cameraNat, at: this.now() });
    if (this.attempt !== a) return;
    a.signal = { wsPath: ticket.value.wsPath, sessionId: ticket.value.sessionId, resumeToken: null, resuming: null };
    this.openSignaling(a, signalingUrl(location.href, ticket.value.wsPath, ticket.value.ticket));
  }

  /** Camera controls of the live session (null until the device opened its data channel). */
  get controls(): ControlClient | null {
    return this.attempt?.controls ?? null;
  }

  /** Push-to-talk of the live session (null when there is none). */
  get talk(): TalkSender | null {
    return this.attempt?.talk ?? null;
  }

  /** The user pressed Disconnect: say bye and release everything. */
  disconnect(): void {
    if (!this.attempt) return;
    this.end("user");
    this.deps.store.dispatch({ type: "disconnect" });
  }

  // ---- signaling ----

  /**
   * `resuming`: this socket continues the session (hello is answered with welcome resumed).
   * `hello`: false on /ws/watch, where the upgrade itself is the hello.
   */
  private openSignaling(a: Attempt, url: string, resuming = false, hello = true): void {
    const ws = new WebSocket(url);
    a.ws = ws;
    const openedAt = this.now();
    let heardAt = openedAt;
    const watchdog = setInterval(() => {
      if (a.ws !== ws) return clearInterval(watchdog);
      const silent = ws.readyState === WebSocket.OPEN && this.now() - heardAt > SIGNALING_SILENCE_MS;
      const stuck = resuming && ws.readyState === WebSocket.CONNECTING && this.now() - openedAt > RESUME_CONNECT_MS;
      if (silent || stuck) this.socketLost(a, ws, undefined);
    }, 1000);
    a.timers.add(watchdog);
    ws.onopen = () => {
      heardAt = this.now();
      if (!resuming) this.emit(a, { type: "socket-open", at: this.now() });
      if (hello) this.send(a, { type: "hello", v: PROTOCOL_VERSION, client: CLIENT });
      // Heartbeat: a silent viewer is dropped by the hub after 15 s, freeing its slot.
      a.stopKeepalive?.();
      a.stopKeepalive = startKeepalive(ws);
    };
    ws.onmessage = (ev: MessageEvent) => {
      heardAt = this.now();
      if (isPong(ev.data)) return; // the keepalive's answer, not JSON
      void this.onSignal(a, ev.data as string | ArrayBuffer);
    };
    // Only a close we did not ask for reaches here (end() detaches the handlers first).
    ws.onclose = (ev: CloseEvent) => this.socketLost(a, ws, codeFromCloseReason(ev.reason));
  }

  /** The signaling socket closed or went silent: resume the session on a new one, or report it. */
  private socketLost(a: Attempt, ws: WebSocket, code: string | undefined): void {
    if (a.ws !== ws) return;
    a.stopKeepalive?.();
    a.stopKeepalive = null;
    a.ws = null;
    ws.onclose = ws.onmessage = ws.onopen = null;
    if (ws.readyState <= WebSocket.OPEN) ws.close(4000, "signaling silent");
    if (this.canResume(a, code)) return this.resumeSignaling(a);
    if (a.signal) a.signal.resuming = null;
    this.emit(a, { type: "signaling-closed", ...(code ? { code } : {}) });
  }

  /**
   * A socket that dropped mid-session (no code: network, edge restart; or heartbeat_timeout: the
   * edge stopped hearing us and keeps the session in grace) is resumed while media plays.
   * Codes that end the session (access revoked, camera gone) are final as before.
   */
  private canResume(a: Attempt, code: string | undefined): boolean {
    if (this.attempt !== a || !a.signal?.resumeToken || !mediaConnected(this.deps.store.getState())) return false;
    return code === undefined || code === "heartbeat_timeout";
  }

  /** Reconnects the signaling socket with backoff, presenting the session's resume token. */
  private resumeSignaling(a: Attempt): void {
    const signal = a.signal;
    if (!signal?.resumeToken) return;
    const now = this.now();
    if (!signal.resuming) {
      signal.resuming = { since: now, retries: 0 };
      this.emit(a, { type: "signaling-resuming" });
    }
    const delay = RESUME_POLICY.nextRetryDelayInMs({ retryCount: signal.resuming.retries++, elapsedMs: now - signal.resuming.since });
    if (delay === null) {
      signal.resuming = null;
      return this.emit(a, { type: "signaling-closed" });
    }
    const token = signal.resumeToken;
    this.later(a, delay, () => this.openSignaling(a, resumeUrl(location.href, signal.wsPath, signal.sessionId, token), true));
  }

  /** Test/debug aid (window.__portholeDropSignaling): closes the signaling socket as a network drop would. */
  dropSignaling(): boolean {
    const ws = this.attempt?.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.close(4000, "debug: signaling dropped");
    return true;
  }

  private async onSignal(a: Attempt, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseMessage(EdgeToViewerSchema, raw);
    if (!parsed.ok) {
      a.ws?.close(parsed.closeCode, closeReason(parsed.code, parsed.detail));
      return this.emit(a, { type: "signaling-error", code: "protocol_error" });
    }
    const msg = parsed.value;
    switch (msg.type) {
      case "session-info":
        // A /ws/watch socket's first message: what POST /api/sessions answers on the other path.
        if (a.signal && !a.signal.sessionId) a.signal.sessionId = msg.sessionId;
        a.reporter.granted(msg.sessionId, msg.reportToken);
        this.emit(a, { type: "ticket", sessionId: msg.sessionId, cameraNat: msg.cameraNat, at: this.now() });
        return;
      case "welcome":
        if (!isSupportedVersion(msg.v)) return this.fail(a, { code: "unsupported_version" });
        if (a.signal) a.signal.resumeToken = msg.resumeToken ?? null;
        if (msg.resumed) return this.onResumed(a);
        this.emit(a, { type: "welcome", at: this.now() });
        this.createPeer(a, msg.iceServers);
        this.timeout(a, TIMEOUTS_MS.offer, () => !a.pc?.remoteDescription, { code: "offer_timeout" });
        return;
      case "offer":
        return this.onOffer(a, msg.sdp);
      case "candidate":
        return this.onRemoteCandidate(a, msg.candidate);
      case "error":
        // The edge refused to resume: the session is over on the camera too.
        if (a.signal?.resuming && msg.code === "session_ended") return this.fail(a, { code: msg.code });
        return this.emit(a, {
          type: "signaling-error",
          code: msg.code,
          ...(msg.watching !== undefined ? { watching: msg.watching } : {}),
          ...(msg.limit !== undefined ? { limit: msg.limit } : {}),
        });
      case "session-end": {
        const code = codeFromCloseReason(msg.reason);
        return this.emit(a, { type: "session-end", reason: msg.reason, ...(code ? { code } : {}) });
      }
      default:
        assertNever(msg);
    }
  }

  /** The same session continues on the new socket; ask again for an ICE restart still owed. */
  private onResumed(a: Attempt): void {
    if (a.signal) a.signal.resuming = null;
    this.emit(a, { type: "signaling-resumed" });
    if (signalingResumed(a.recovery)) this.requestRestart(a, "signaling resumed");
  }

  private send(a: Attempt, msg: ViewerToEdge): void {
    if (a.ws?.readyState === WebSocket.OPEN) a.ws.send(JSON.stringify(msg));
  }

  // ---- peer connection ----

  private createPeer(a: Attempt, iceServers: IceServer[]): void {
    a.pc?.close();
    a.forcedRelay = RELAY_FORCED_AT_LOAD || relayForced(location.search);
    // "all" gathers host, server-reflexive and relay candidates (the edge's TURN servers come
    // with per-session credentials) and lets ICE pick the best pair: LAN, then P2P, then relay.
    const pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle", iceTransportPolicy: a.forcedRelay ? "relay" : "all" });
    a.pc = pc;
    pc.onicecandidate = (ev) => {
      // A null candidate ends gathering; the wire says so with an empty string (RFC 8838 §8.2),
      // tagged with this generation's ufrag (end-of-candidates.ts).
      const candidate: IceCandidate = ev.candidate ? ev.candidate.toJSON() as IceCandidate : endOfCandidates(pc.localDescription?.sdp);
      this.send(a, { type: "candidate", candidate });
    };
    pc.oniceconnectionstatechange = () => {
      this.emit(a, { type: "ice-state", state: pc.iceConnectionState, at: this.now() });
      this.onIceChange(a, pc);
    };
    a.stopNetworkWatch = watchNetwork(() => {
      if (mediaConnected(this.deps.store.getState())) this.requestRestart(a, "network changed");
    });
    pc.onconnectionstatechange = () => {
      this.emit(a, { type: "connection-state", state: pc.connectionState, at: this.now() });
      if (pc.connectionState === "connected") this.watchFirstFrame(a);
    };
    pc.ontrack = (ev) => this.onTrack(a, ev);
    pc.ondatachannel = (ev) => {
      if (ev.channel.label === BULK_CHANNEL_LABEL) {
        if (a.controls) a.controls.attachBulk(ev.channel);
        else a.bulk = ev.channel;
        return;
      }
      if (ev.channel.label !== CONTROL_CHANNEL_LABEL) return;
      const dc = ev.channel;
      const client = new ControlClient((text) => {
        if (dc.readyState !== "open") return false;
        dc.send(text);
        return true;
      });
      a.controls = client;
      if (a.bulk) client.attachBulk(a.bulk);
      a.stopPings = attachControlChannel(dc, {
        client,
        now: this.now,
        onDevice: (d) => this.emit(a, { type: "dc-hello", device: d }),
        onRtt: (ms) => this.emit(a, { type: "dc-rtt", ms }),
      });
    };
    // The first figures and path a full STATS_INTERVAL_MS in: sooner, Chromium may still send
    // on a pair it picked before the camera's nomination, and the first path is what the edge
    // records in the session history.
    a.statsAt = this.now();
    const stats = setInterval(() => void this.pollStats(a), FLOW_CHECK_MS);
    a.timers.add(stats);
  }

  /** ICE went down or came back: schedule restarts while it is down (see RESTART_POLICY_MS). */
  private onIceChange(a: Attempt, pc: RTCPeerConnection): void {
    const state = pc.iceConnectionState;
    if (state === "connected" || state === "completed") return iceStateSeen(a.recovery, true, this.now());
    if ((state !== "disconnected" && state !== "failed") || !mediaConnected(this.deps.store.getState())) return;
    iceStateSeen(a.recovery, false, this.now());
    if (state === "failed") return this.requestRestart(a, "ice failed");
    this.later(a, RESTART_POLICY_MS.disconnectedGrace, () => {
      if (pc.iceConnectionState === "disconnected") this.requestRestart(a, "ice disconnected");
    });
  }

  /** Asks the camera (through the edge) for an ICE restart, and again while ICE stays down. */
  private requestRestart(a: Attempt, reason: string): void {
    if (this.attempt !== a) return;
    const step = nextRestartStep(a.recovery, this.now(), a.ws?.readyState === WebSocket.OPEN);
    if (step === "give-up") return this.fail(a, { code: "connection_lost" });
    if (step === "too-soon") return;
    if (step === "await-signaling") {
      // Keep one check running so the give-up deadline holds even if signaling never comes back.
      if (a.recovery.iceDownSince !== null && !a.restartWaiting) {
        a.restartWaiting = true;
        this.later(a, RESTART_POLICY_MS.retry, () => {
          a.restartWaiting = false;
          if (a.recovery.iceDownSince !== null) this.requestRestart(a, "still down");
        });
      }
      return;
    }
    this.send(a, { type: "restart" });
    this.emit(a, { type: "ice-restart", reason });
    this.later(a, RESTART_POLICY_MS.retry, () => {
      if (a.recovery.iceDownSince !== null) this.requestRestart(a, "still down");
    });
  }

  private later(a: Attempt, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      a.timers.delete(t);
      if (this.attempt === a) fn();
    }, ms);
    a.timers.add(t);
  }

  private async onOffer(a: Attempt, sdp: string): Promise<void> {
    const pc = a.pc;
    if (!pc) return this.fail(a, { code: "protocol_error", detail: "offer before welcome" });
    if (pc.remoteDescription) return this.onRenegotiation(a, pc, sdp);
    try {
      await pc.setRemoteDescription({ type: "offer", sdp });
      this.emit(a, { type: "offer", at: this.now() });
      for (const c of a.pendingCandidates.splice(0)) await this.addCandidate(pc, c);
      a.talk.prepareAnswer(pc, sdp);
      await pc.setLocalDescription(await pc.createAnswer());
      const answer = pc.localDescription?.sdp;
      if (!answer) throw new Error("no local description");
      this.send(a, { type: "answer", sdp: answer });
      this.emit(a, { type: "answer-sent", at: this.now() });
      this.timeout(a, TIMEOUTS_MS.ice, () => this.deps.store.getState().timings.iceConnectedAt === null, { code: "ice_failed" });
    } catch (err) {
      this.fail(a, { code: "protocol_error", detail: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * A new offer on the live connection: the camera restarted ICE (new ufrag/pwd) at our request.
   * Apply it and answer on the same RTCPeerConnection (JSEP RFC 8829 §5.3.1); DTLS and the
   * tracks carry on, and the new generation's candidates trickle as before.
   */
  private async onRenegotiation(a: Attempt, pc: RTCPeerConnection, sdp: string): Promise<void> {
    try {
      await pc.setRemoteDescription({ type: "offer", sdp });
      a.talk.prepareAnswer(pc, sdp);
      await pc.setLocalDescription(await pc.createAnswer());
      const answer = pc.localDescription?.sdp;
      if (!answer) throw new Error("no local description");
      this.send(a, { type: "answer", sdp: answer });
    } catch (err) {
      // A renegotiation that cannot be applied leaves the old path; the retry timer asks again.
      console.warn("porthole: could not apply the camera's new offer", err);
    }
  }

  private async onRemoteCandidate(a: Attempt, c: IceCandidate): Promise<void> {
    if (!a.pc?.remoteDescription) a.pendingCandidates.push(c);
    else await this.addCandidate(a.pc, c);
  }

  private async addCandidate(pc: RTCPeerConnection, c: IceCandidate): Promise<void> {
    try {
      await pc.addIceCandidate(c.candidate === "" ? { candidate: "", sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? 0 } : c);
    } catch (err) {
      // One bad candidate (or an end-of-candidates a browser rejects) must not end the session.
      if (c.candidate !== "") console.warn("porthole: ignored a remote candidate", err);
    }
  }

  private onTrack(a: Attempt, ev: RTCTrackEvent): void {
    const video = this.deps.video();
    if (video) {
      const stream = ev.streams[0] ?? (video.srcObject instanceof MediaStream ? video.srcObject : new MediaStream());
      if (!stream.getTracks().includes(ev.track)) stream.addTrack(ev.track);
      if (video.srcObject !== stream) video.srcObject = stream;
      video.muted = true; // autoplay policies allow muted playback only; tap to unmute
      void video.play().catch(() => undefined);
    }
    // DTLS state, when the browser exposes the transport (RTCDtlsTransport, W3C webrtc §5.5).
    const dtls = ev.receiver.transport;
    if (dtls) {
      const report = () => this.emit(a, { type: "dtls-state", state: dtls.state, at: this.now() });
      dtls.addEventListener("statechange", report);
      if (dtls.state === "connected") report();
    }
    if (ev.track.kind === "video") this.watchFirstFrame(a);
  }

  /** Marks the first decoded frame (requestVideoFrameCallback), with a loadeddata fallback. */
  private watchFirstFrame(a: Attempt): void {
    const video = this.deps.video();
    if (!video || a.watchingFirstFrame) return;
    a.watchingFirstFrame = true;
    const done = () => this.emit(a, { type: "first-frame", at: this.now() });
    // requestVideoFrameCallback is missing in older Safari; loadeddata is the fallback there.
    const v = video as HTMLVideoElement & { requestVideoFrameCallback?: HTMLVideoElement["requestVideoFrameCallback"] };
    if (typeof v.requestVideoFrameCallback === "function") v.requestVideoFrameCallback(() => done());
    else v.addEventListener("loadeddata", done, { once: true });
    this.timeout(a, TIMEOUTS_MS.firstFrame, () => this.deps.store.getState().timings.firstFrameAt === null && mediaConnected(this.deps.store.getState()), { code: "media_timeout" });
  }

  /**
   * One getStats() per FLOW_CHECK_MS tick: while live, the received byte count feeds the stall
   * check every tick; the video figures and the path are read every STATS_INTERVAL_MS.
   */
  private async pollStats(a: Attempt): Promise<void> {
    const pc = a.pc;
    if (!pc) return;
    const live = this.deps.store.getState().phase === "live";
    const due = a.statsAt !== null && this.now() - a.statsAt >= STATS_INTERVAL_MS;
    if (!live && !due) return;
    const report = await pc.getStats();
    if (a.pc !== pc) return;
    const stats = [...(report.values() as IterableIterator<StatLike>)];
    if (live) this.watchMediaFlow(a, pc, bytesReceivedTotal(stats));
    if (!due) return;
    const now = this.now();
    const path = classifyPath(stats);
    if (path && !pathSettled(path, a.unsettledSince, now)) {
      // Not the session's path yet: look again on the next tick, not a full interval later.
      a.unsettledSince ??= now;
      return;
    }
    a.unsettledSince = null;
    a.statsAt = now;
    const video = readVideoStats(stats, a.lastVideo);
    a.lastVideo = video;
    // Once, when first classified: the edge records it in the owner's session history.
    if (path && a.reportedPath === null && a.ws?.readyState === WebSocket.OPEN) {
      a.reportedPath = path.kind;
      this.send(a, { type: "path", path: path.kind });
    }
    this.emit(a, { type: "stats", path, video });
  }

  /** Restarts ICE when nothing arrives any more (ice-recovery.ts MEDIA_STALL_MS). */
  private watchMediaFlow(a: Attempt, pc: RTCPeerConnection, bytes: number): void {
    const iceUp = pc.iceConnectionState === "connected" || pc.iceConnectionState === "completed";
    const flow = observeMediaFlow(a.recovery, bytes, this.now(), { iceUp, live: this.deps.store.getState().phase === "live" });
    if (flow === "stalled") this.requestRestart(a, "media stalled");
  }

  // ---- lifecycle ----

  private timeout(a: Attempt, ms: number, stillWaiting: () => boolean, error: UiError): void {
    const t = setTimeout(() => {
      a.timers.delete(t);
      if (stillWaiting()) this.fail(a, error);
    }, ms);
    a.timers.add(t);
  }

  private emit(a: Attempt, event: SessionEvent): void {
    if (this.attempt !== a) return;
    this.deps.store.dispatch(event);
    if (this.deps.store.getState().phase === "failed") this.end("failed");
  }

  private fail(a: Attempt, error: UiError): void {
    this.emit(a, { type: "fail", error });
  }

  /** Releases the current attempt: timers, pings, peer connection and socket. */
  private end(why: "user" | "failed" | null): void {
    const a = this.attempt;
    if (!a) return;
    // Before anything is torn down: the state still holds how far this session got.
    a.reporter.final();
    this.attempt = null;
    a.abort.abort();
    // Timeouts and intervals share one id space (HTML §8.6), so clearInterval ends both.
    for (const t of a.timers) clearInterval(t);
    a.stopPings?.();
    a.stopKeepalive?.();
    a.stopNetworkWatch?.();
    a.controls?.close("The session ended.");
    a.talk.close();
    a.pc?.close();
    if (a.ws) {
      a.ws.onclose = a.ws.onmessage = a.ws.onopen = null;
      if (a.ws.readyState === WebSocket.OPEN) a.ws.send(JSON.stringify({ type: "bye", reason: why ?? "retry" } satisfies ViewerToEdge));
      if (a.ws.readyState <= WebSocket.OPEN) a.ws.close(1000, why ?? "retry");
    }
    const video = this.deps.video();
    // After a failure the last frame stays, dimmed behind the error, as a reminder of the view —
    // except when access was taken away: then nothing of the camera may stay on screen.
    const code = this.deps.store.getState().error?.code;
    const revoked = why === "failed" && code !== undefined && ACCESS_ENDING_CODES.has(code);
    if (video && (why !== "failed" || revoked)) {
      video.pause();
      video.srcObject = null;
    }
  }
}
