// Why: the Durable Object is a thin lifecycle shell: it turns workerd's WebSocket hibernation
// callbacks into HubEvents, runs the pure logic (hub.ts) and performs the effects. The hub's
// state is kept in memory between events (hub-memory.ts) and rebuilt from socket attachments
// and DO SQLite only when the object wakes (wake.ts); storage is written only when it changes.
import { DurableObject } from "cloudflare:workers";
import { ERROR_CODES, type EdgeToViewer, type ErrorCode } from "../../../protocol/index.ts";
import { countRefusalInBackground } from "../analytics/edge-counts.ts";
import { deviceHeartbeatSeconds, iceServers } from "../config.ts";
import { db } from "../db/client.ts";
import { setRevoked } from "../db/devices.ts";
import { log } from "../log.ts";
import { newConnId } from "../random.ts";
import { rejectSocket } from "../ws/reject-socket.ts";
import { sendableCloseCode, trySocket } from "../ws/socket-safety.ts";
import { presenceOf, type HubPresence } from "./conns.ts";
import { failAndClose } from "./effects.ts";
import { nextCheckAt } from "./device-heartbeat.ts";
import { FRAME_BUDGETS, FrameBudget, isOverBudgetClose, MAX_CANDIDATES_PER_SESSION } from "./frame-budget.ts";
import { findResumable } from "./grace.ts";
import { handleHubEvent } from "./hub.ts";
import { emptyMemory, rememberOne, stateOf, type HubMemory } from "./hub-memory.ts";
import { HubStorage } from "./hub-storage.ts";
import { d1WriteFor, eventWrite, type D1Write } from "./hub-writes.ts";
import { EventRate } from "../events/index.ts";
import { mintSessionTurn, turnConfig, type SessionTurn } from "../turn/index.ts";
import { HUB_HEADERS, readLocation, readNetworkTag, readViewerAdmission, readViewerResume, type ViewerAdmission, type ViewerResume } from "./hub-request.ts";
import { OpenConnections } from "./open-connections.ts";
import { PushWindowStore } from "./push-window-store.ts";
import { deliverCameraEvent } from "../push/deliver-event.ts";
import { newResumeToken } from "./resume-token.ts";
import type { Conn, DeviceConn, Effect, HubEvent, HubState, ViewerConn } from "./types.ts";
import { viewersToEnd } from "./viewer-events.ts";

/** A socket's last-activity stamp is rewritten at most this often (attachment writes are not free). */
const ACTIVITY_STAMP_MS = 1_000;

export class DeviceHub extends DurableObject<Env> {
  /** D1 writes in the order the hub decided them (see apply()). */
  private writeChain: Promise<void> = Promise.resolve();
  /** Device connections not yet recorded as ended (survives a restart; open-connections.ts). */
  private readonly openConns: OpenConnections;
  private readonly storage: HubStorage;
  /** The camera's push notification window (at most one per minute, then a summary). */
  private readonly pushWindow: PushWindowStore;
  /** The hub's state between events; undefined until the first event after the object woke. */
  private memory: HubMemory | undefined;
  /** Each held socket by conn id (the memory's conns are the hub's view of them). */
  private readonly sockets = new Map<string, WebSocket>();
  /** Conn id by socket object, so a frame finds its conn without reading the attachment. */
  private readonly idOf = new WeakMap<WebSocket, string>();
  /** The serial this object serves (one Durable Object per camera), once known. */
  private serial = "";
  /** The pending alarm as this instance set it; undefined: not known since the wake. */
  private alarmAt: number | null | undefined;
  /** Frames each socket may still send and candidates relayed per session (frame-budget.ts). */
  private readonly budget = new FrameBudget();
  /** The camera's events the index takes per minute, and when its old rows are pruned (events/event-rate.ts). */
  private readonly eventRate = new EventRate();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alive answered by workerd itself, without waking the object (devices every 30 s,
    // viewers every 5 s); getWebSocketAutoResponseTimestamp() tells the alarm who is alive.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    this.storage = new HubStorage(ctx.storage.sql);
    this.openConns = new OpenConnections(ctx.storage.sql);
    this.pushWindow = new PushWindowStore(ctx.storage.sql);
  }

  override async fetch(request: Request): Promise<Response> {
    const serial = request.headers.get(HUB_HEADERS.serial);
    if (!serial || request.headers.get("upgrade") !== "websocket") return new Response("bad hub request", { status: 400 });
    await this.awake(serial);
    const path = new URL(request.url).pathname;
    if (path === "/device") return this.connectDevice(serial, request.headers);
    if (path === "/viewer") {
      const resume = readViewerResume(request.headers);
      if (resume) return this.resumeViewer(serial, resume);
      const admission = readViewerAdmission(request.headers);
      if (!admission) return new Response("bad hub request", { status: 400 });
      return this.connectViewer(serial, admission);
    }
    return new Response("not found", { status: 404 });
  }

  /** Online state and viewer count, from the hub's memory (a read: it writes nothing). */
  async presence(): Promise<HubPresence> {
    await this.awake();
    return presenceOf(this.state());
  }

  /**
   * The memory, rebuilt from storage on the first event after the object woke: the sockets
   * hibernation kept (their attachments), the stored sessions and absence. What a restart left
   * behind is decided by the pure logic (wake.ts) and written once, here.
   */
  private async awake(serial = ""): Promise<HubMemory> {
    if (serial) this.serial = serial;
    if (this.memory) return this.memory;
    const memory = emptyMemory();
    for (const ws of this.ctx.getWebSockets()) {
      const c = attachment(ws);
      if (!c) continue;
      memory.conns.set(c.id, c);
      this.sockets.set(c.id, ws);
      this.idOf.set(ws, c.id);
    }
    const sessions = this.storage.sessions();
    for (const s of sessions) memory.sessions.set(s.conn.sessionId, s);
    memory.deviceAwayUntil = this.storage.deviceAwayUntil();
    this.memory = memory;
    const first = memory.conns.values().next().value ?? sessions[0]?.conn;
    if (!this.serial && first) this.serial = first.serial;
    const state = this.state();
    await this.apply(handleHubEvent(state, { type: "wake", sessions, open: this.openConns.all() }));
    return memory;
  }

  /** Marks the device revoked and cuts its socket and viewers at once. */
  async revoke(serial: string): Promise<void> {
    await setRevoked(db(this.env.DB), serial, true);
    await this.cutDevice(serial, "device_revoked");
  }

  /**
   * Closes the device's live socket with `code` (its viewers are cut as if it had gone away):
   * revocation, or a token-version bump that must kill the connection the old token opened.
   */
  async cutDevice(serial: string, code: ErrorCode): Promise<void> {
    await this.awake(serial);
    const state = this.state();
    const effects: Effect[] = [];
    for (const c of state.conns) {
      if (c.role !== "device" || c.phase === "closing") continue;
      // As if it had disconnected (viewers cut, last-seen kept), then tell it why.
      const ended = code === "device_revoked" ? "token-revoked" : "token-superseded";
      effects.push(...handleHubEvent(state, { type: "device-closed", conn: c, code: ERROR_CODES[code].close, reason: code, final: true, ended }));
      effects.push(...failAndClose(c, code));
    }
    await this.apply(effects);
  }

  /** Ends one user's live viewer sessions (e.g. their share was revoked); returns how many. */
  async endSessionsForUser(userId: string, code: ErrorCode): Promise<number> {
    return this.endSessions(code, userId);
  }

  /** Ends every live viewer session on this camera; returns how many. */
  async endAllSessions(code: ErrorCode): Promise<number> {
    return this.endSessions(code);
  }

  private async endSessions(code: ErrorCode, userId?: string): Promise<number> {
    await this.awake();
    const state = this.state();
    // Sessions in grace count too: a revoked viewer must not resume one.
    const parked = (state.grace ?? []).filter((g) => userId === undefined || g.conn.userId === userId).length;
    const count = viewersToEnd(state, userId).length + parked;
    if (count > 0) await this.apply(handleHubEvent(state, { type: "end-sessions", code, ...(userId !== undefined ? { userId } : {}) }));
    return count;
  }

  /** Heartbeat: close viewers and a camera that stopped pinging, then re-arm while any is left. */
  override async alarm(): Promise<void> {
    // workerd cleared the alarm as it fired it.
    this.alarmAt = null;
    const memory = await this.awake();
    this.forgetClosedSockets(memory);
    this.sendDueSummary(Date.now());
    const state = this.state();
    if (!state.serial) return this.armSummary();
    // The camera's pings never wake the object: carry the last one into its open record, so an
    // edge restart later still knows roughly when it was last seen.
    for (const c of state.conns) if (c.role === "device" && c.lastPongAt) this.openConns.seen(c.id, c.lastPongAt);
    const lastPongAt: Record<string, number> = {};
    for (const c of state.conns) {
      const ws = c.role === "viewer" ? this.sockets.get(c.id) : undefined;
      const at = ws && this.ctx.getWebSocketAutoResponseTimestamp(ws);
      if (at) lastPongAt[c.id] = at.getTime();
    }
    await this.apply(handleHubEvent(state, { type: "heartbeat", lastPongAt }));
    const next = nextCheckAt(this.state());
    if (next !== null) await this.setAlarm(next);
    await this.armSummary();
  }

  /** After an alarm: a summary still to come keeps the alarm armed for it. */
  private async armSummary(): Promise<void> {
    const at = this.pushWindow.summaryAt();
    if (at !== null) await this.alarmBy(at);
  }

  private async connectDevice(serial: string, headers: Headers): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    const conn: DeviceConn = {
      role: "device",
      id: newConnId(),
      serial,
      phase: "awaiting-hello",
      connectedAt: Date.now(),
      location: readLocation(headers),
      networkTag: readNetworkTag(headers),
    };
    this.ctx.acceptWebSocket(server, ["device"]);
    this.hold(server, conn);
    await this.run({ type: "device-connected", conn });
    // Watch its pings (device-heartbeat.ts).
    await this.armHeartbeat();
    return new Response(null, { status: 101, webSocket: client });
  }

  private async connectViewer(serial: string, a: ViewerAdmission): Promise<Response> {
    if (!this.storage.useTicket(a.sessionId, a.expiresAt, Date.now())) {
      log({ event: "viewer_refused", serial, sessionId: a.sessionId, code: "ticket_invalid", detail: "reused" });
      countRefusalInBackground(this.ctx, this.env.DB, "ticket_invalid");
      return rejectSocket("ticket_invalid", "This ticket was already used. Enter the access code again.");
    }
    // Minted before the synchronous admission below (WebCrypto is async); a refused viewer's
    // credentials are simply never sent.
    const turn = await this.mintTurn(a);
    const { 0: client, 1: server } = new WebSocketPair();
    const conn: ViewerConn = {
      role: "viewer",
      id: newConnId(),
      serial,
      phase: "awaiting-hello",
      connectedAt: Date.now(),
      sessionId: a.sessionId,
      userId: a.userId,
      sessionRole: a.role,
      grant: a.grant,
      ...(turn ? { turn } : {}),
      resumeToken: newResumeToken(),
    };
    // From here to the end of run()'s synchronous part there is no await: accepting the socket,
    // counting the viewers and marking a refused one closing happen in one turn, so a burst of
    // connections is admitted exactly up to the limit (the DO runs one turn at a time).
    this.ctx.acceptWebSocket(server, ["viewer", `session:${a.sessionId}`]);
    this.hold(server, conn);
    // A /ws/watch socket first says what the grant's HTTP answer would have (watch-socket.ts);
    // a refusal the admission below makes still follows it.
    if (a.sessionInfo) {
      const { reportToken, cameraNat } = a.sessionInfo;
      const info: EdgeToViewer = { type: "session-info", sessionId: a.sessionId, reportToken, cameraNat };
      trySocket(() => server.send(JSON.stringify(info)));
    }
    // The D1 writes these runs ask for (the session history's start row) follow in the
    // background: the viewer's socket — and with it the camera's offer, already on its way —
    // must not wait for a write to the database's primary, which can be far from this object.
    await this.run({ type: "viewer-connected", conn, maxViewers: a.maxViewers, ...(a.sessionInfo ? { helloFollows: true } : {}) }, false);
    // On /ws/watch the upgrade is the hello: welcome and session-start go out now, through the
    // same hub logic as a hello frame (a refused or closing viewer is left as it is).
    const admitted = a.sessionInfo ? this.memory?.conns.get(conn.id) : undefined;
    if (admitted?.role === "viewer" && a.sessionInfo) {
      await this.run({ type: "viewer-message", conn: admitted, frame: JSON.stringify({ type: "hello", v: a.sessionInfo.v }) }, false);
    }
    await this.armHeartbeat();
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * A viewer continues its session on a new socket (grace.ts). The new socket inherits who the
   * session is for from the session itself; the hub logic checks the token again (and refuses
   * through the socket, as browsers cannot read a refused upgrade).
   */
  private async resumeViewer(serial: string, r: ViewerResume): Promise<Response> {
    // Read before the new socket is held: once it holds the session id, the session's old
    // socket is no longer the only one that names it.
    const found = findResumable(this.state(), r.sessionId, r.token);
    const from = found?.from === "grace" ? found.session.conn : found?.conn;
    const base: ViewerConn = from ?? { role: "viewer", id: "", serial, phase: "awaiting-hello", connectedAt: 0, sessionId: r.sessionId, userId: null, sessionRole: "code", grant: "-" };
    const { lastActiveAt: _stale, ...session } = base;
    const conn: ViewerConn = { ...session, id: newConnId(), phase: "awaiting-hello", connectedAt: Date.now(), resumeToken: newResumeToken(), resumed: true };
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["viewer", `session:${r.sessionId}`]);
    this.hold(server, conn);
    await this.run({ type: "viewer-connected", conn, maxViewers: 0, resume: { token: r.token } });
    await this.armHeartbeat();
    return new Response(null, { status: 101, webSocket: client });
  }

  /** TURN credentials for both sides of a session, or undefined when TURN is not configured. */
  private async mintTurn(a: ViewerAdmission): Promise<SessionTurn | undefined> {
    const config = turnConfig(this.env);
    if (!config) return undefined;
    const device = this.state().conns.find((c) => c.role === "device" && c.phase === "ready");
    const deviceLocation = device?.role === "device" ? (device.location ?? {}) : {};
    return mintSessionTurn(config, a.sessionId, { viewer: a.location, device: deviceLocation }, Date.now());
  }

  /**
   * Makes sure the alarm fires by the next heartbeat check while anything is watched. One alarm
   * serves the heartbeat and the notification summary (alarmBy): a later one pending (a summary,
   * or the camera-only 90 s check when a viewer arrives) is brought forward, never pushed back.
   */
  private async armHeartbeat(): Promise<void> {
    const next = nextCheckAt(this.state());
    if (next !== null) await this.alarmBy(next);
  }

  private async setAlarm(at: number): Promise<void> {
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const memory = await this.awake();
    let conn = this.connOf(memory, ws);
    // A socket the hub is closing: its frames still in flight cost nothing more than this.
    if (!conn || conn.phase === "closing") return;
    const now = Date.now();
    // Before the frame is even parsed: a flooding socket is closed on its first frame over budget.
    if (!this.budget.admit(conn.id, conn.role, now)) {
      const rule = FRAME_BUDGETS[conn.role];
      await this.run({ type: "over-budget", conn, detail: `more than ${rule.burst} messages at once or ${rule.perSecond} a second` });
      return;
    }
    if (now - (conn.lastActiveAt ?? conn.connectedAt) >= ACTIVITY_STAMP_MS) {
      conn = { ...conn, lastActiveAt: now };
      memory.conns.set(conn.id, conn);
      ws.serializeAttachment(conn);
      if (conn.role === "device") this.openConns.seen(conn.id, now);
    }
    await this.run(conn.role === "device" ? { type: "device-message", conn, frame: message } : { type: "viewer-message", conn, frame: message });
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.closed(ws, code, reason);
    // Complete the closing handshake (RFC 6455 §5.5.1): hibernatable sockets are not
    // auto-replied, so without this the peer never sees its close acknowledged.
    trySocket(() => ws.close(sendableCloseCode(code), reason.slice(0, 123)));
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    await this.closed(ws, 1006, String(error).slice(0, 100));
  }

  private async closed(ws: WebSocket, code: number, reason: string): Promise<void> {
    const memory = await this.awake();
    const stored = this.connOf(memory, ws);
    if (!stored) return;
    const current = memory.conns.get(stored.id) ?? stored;
    const conn = withPong(current, this.ctx.getWebSocketAutoResponseTimestamp(ws)) ?? current;
    try {
      if (conn.role === "viewer" && isOverBudgetClose(code, reason)) await this.run({ type: "over-budget", conn, detail: reason.replace(/^too_many_messages:?\s*/, "") });
      else await this.run(conn.role === "device" ? { type: "device-closed", conn, code, reason } : { type: "viewer-closed", conn, code, reason });
    } finally {
      this.forget(conn.id);
    }
  }

  /** The socket's conn: from memory, by the id noted for this socket object or in its attachment. */
  private connOf(memory: HubMemory, ws: WebSocket): Conn | undefined {
    let id = this.idOf.get(ws);
    if (id === undefined) {
      const c = attachment(ws);
      if (!c) return undefined;
      id = c.id;
      this.idOf.set(ws, id);
      if (!memory.conns.has(id)) return c;
    }
    return memory.conns.get(id);
  }

  /** Holds a newly accepted socket: its attachment (for after hibernation) and the memory. */
  private hold(ws: WebSocket, conn: Conn): void {
    ws.serializeAttachment(conn);
    this.sockets.set(conn.id, ws);
    this.idOf.set(ws, conn.id);
    this.memory?.conns.set(conn.id, conn);
  }

  private forget(id: string): void {
    this.budget.forgetSocket(id);
    this.sockets.delete(id);
    this.memory?.conns.delete(id);
  }

  /** Sockets the hub closed whose close event never came (the peer vanished mid-handshake). */
  private forgetClosedSockets(memory: HubMemory): void {
    for (const [id, ws] of this.sockets) {
      if (ws.readyState === WebSocket.CLOSED && memory.conns.get(id)?.phase === "closing") this.forget(id);
    }
  }

  /** The pure logic's input, from memory (the device's last auto-answered ping read fresh). */
  private state(): HubState {
    const memory = this.memory ?? emptyMemory();
    const conns: Conn[] = [];
    for (const c of memory.conns.values()) {
      const ws = c.role === "device" ? this.sockets.get(c.id) : undefined;
      conns.push(ws ? (withPong(c, this.ctx.getWebSocketAutoResponseTimestamp(ws)) ?? c) : c);
    }
    const serial = this.serial || conns[0]?.serial || "";
    return stateOf(
      memory,
      {
        serial,
        iceServers: iceServers(this.env),
        turnRegions: turnConfig(this.env)?.regions ?? [],
        heartbeatSeconds: deviceHeartbeatSeconds(this.env as Env & { DEVICE_HEARTBEAT_SECONDS?: string }),
      },
      Date.now(),
      conns,
    );
  }

  /**
   * A candidate the hub is about to relay for a session that already had its cap (either
   * direction): the session's viewer conn, whose session ends instead; undefined to send it.
   */
  private candidateOverCap(memory: HubMemory, effect: Extract<Effect, { type: "send" }>): ViewerConn | undefined {
    const message = effect.message;
    if (message.type !== "candidate") return undefined;
    const to = memory.conns.get(effect.to);
    if ("sessionId" in message) {
      if (this.budget.relayCandidate(message.sessionId, "to-device")) return undefined;
      for (const c of memory.conns.values()) if (c.role === "viewer" && c.sessionId === message.sessionId && c.phase !== "closing") return c;
      return undefined;
    }
    if (to?.role !== "viewer" || this.budget.relayCandidate(to.sessionId, "to-viewer")) return undefined;
    return to;
  }

  /**
   * A camera event: within the camera's window it is only counted (a summary follows on the
   * alarm; returns when); otherwise the notifications go out in the background (the camera's
   * socket never waits for a push service).
   */
  private notify(serial: string, event: { id: string; startedAt: string }): number | null {
    const now = Date.now();
    const decision = this.pushWindow.decide(serial, now, event);
    if (!decision.send) {
      log({ event: "push_held", serial, eventId: event.id, summaryAt: decision.summaryAt });
      return decision.summaryAt;
    }
    this.deliver(serial, event, decision.more, now);
    return null;
  }

  private deliver(serial: string, event: { id: string; startedAt: string }, more: number, now: number): void {
    const env = this.env as Env & { VAPID_PRIVATE_JWK?: string; VAPID_SUBJECT?: string };
    const delivery = deliverCameraEvent(env, { serial, eventId: event.id, startedAt: event.startedAt, more }, now).catch((err: unknown) =>
      log({ event: "internal_error", serial, message: `push delivery failed: ${String(err)}` }),
    );
    this.ctx.waitUntil(delivery);
  }

  /** Alarm tick: the summary of events held back in the last minute, when it is due. */
  private sendDueSummary(now: number): void {
    const summary = this.pushWindow.takeDueSummary(now);
    if (summary) this.deliver(summary.serial, summary.event, summary.more, now);
  }

  /** Makes sure the alarm fires by `at` (it may already be set earlier, for the heartbeat). */
  private async alarmBy(at: number): Promise<void> {
    this.alarmAt ??= await this.ctx.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt > at) await this.setAlarm(at);
  }

  /** `awaitWrites` false: the event's D1 writes are chained but not waited for (see apply). */
  private async run(event: HubEvent & { conn: Conn }, awaitWrites = true): Promise<void> {
    if (!this.serial) this.serial = event.conn.serial;
    const state = this.state();
    // A socket whose close event comes after the hub forgot it (or a conn rebuilt from its
    // attachment): without it the hub would not see that the current device left.
    if (!state.conns.some((c) => c.id === event.conn.id)) state.conns = [...state.conns, event.conn];
    await this.apply(handleHubEvent(state, event), awaitWrites);
  }

  /**
   * Performs the effects. Socket effects and the memory run first and synchronously, in order;
   * D1 writes (last seen, session history) are awaited only after, so no other event can
   * interleave between the hub's decision and the phase changes that make it stick.
   * `awaitWrites` false: the writes stay chained in order (writeChain) and the object is kept
   * alive for them (waitUntil), but the caller goes on — for a socket upgrade whose 101 would
   * otherwise wait for the database.
   */
  private async apply(effects: Effect[], awaitWrites = true): Promise<void> {
    const serial = this.serial;
    const memory = this.memory ?? (this.memory = emptyMemory());
    const writes: D1Write[] = [];
    let waiting = false;
    let summaryDue: number | undefined;
    const overCap = new Map<string, ViewerConn>();
    for (const effect of effects) {
      const changed = rememberOne(memory, effect);
      switch (effect.type) {
        case "send": {
          const capped = this.candidateOverCap(memory, effect);
          if (capped) {
            overCap.set(capped.id, capped);
            break;
          }
          trySocket(() => this.sockets.get(effect.to)?.send(JSON.stringify(effect.message)));
          break;
        }
        case "close":
          trySocket(() => this.sockets.get(effect.to)?.close(effect.code, effect.reason));
          break;
        case "set-phase": {
          // The attachment follows the memory, for the hub that wakes after hibernation.
          const ws = this.sockets.get(effect.to);
          const c = memory.conns.get(effect.to);
          if (changed && ws && c) trySocket(() => ws.serializeAttachment(c));
          break;
        }
        case "connection-open":
          this.openConns.open(effect.conn.id, effect.conn.connectedAt);
          break;
        case "connection-end":
          this.openConns.close(effect.end.connId);
          break;
        case "log":
          log(effect.event);
          break;
        case "session-put":
          this.storage.putSession({ conn: effect.conn, until: null });
          break;
        case "grace-put":
          this.storage.putSession(effect.session);
          waiting = true;
          break;
        case "grace-drop":
          if (changed) this.storage.dropSession(effect.sessionId);
          this.budget.forgetSession(effect.sessionId);
          break;
        case "device-away":
          if (changed) this.storage.setDeviceAwayUntil(effect.until);
          waiting ||= effect.until !== null;
          break;
        case "notify": {
          const at = this.notify(serial, effect.cameraEvent);
          if (at !== null) summaryDue = Math.min(summaryDue ?? at, at);
          break;
        }
        case "record-event": {
          const now = Date.now();
          const admission = this.eventRate.admit(now);
          if (admission === "drop") log({ event: "camera_event_dropped", serial, eventId: effect.cameraEvent.id, reason: "rate" });
          else writes.push(eventWrite(this.env.DB, serial, effect.cameraEvent, now, admission === "record-and-prune"));
          break;
        }
        case "device-seen":
        case "device-nat":
        case "session-record":
          break;
        default:
          effect satisfies never;
      }
      const write = d1WriteFor(this.env.DB, serial, effect);
      if (write) writes.push(write);
    }
    // A session past its candidate cap ends (its viewer closed 1008), after this event's effects.
    for (const viewer of overCap.values()) {
      const current = memory.conns.get(viewer.id);
      if (current?.role === "viewer") await this.run({ type: "over-budget", conn: current, detail: `more than ${MAX_CANDIDATES_PER_SESSION} candidates in one session` });
    }
    // Grace and absence end on the alarm tick, even with no viewer socket left to ping.
    if (waiting) await this.armHeartbeat();
    // So does the camera's notification window: its summary goes out even if no event follows.
    if (summaryDue !== undefined) await this.alarmBy(summaryDue);
    if (writes.length === 0) return;
    // Chained across events: D1 calls do not hold the input gate, so a quick bye could
    // otherwise update the session row before the hello's insert has landed.
    const run = this.writeChain.then(async () => {
      for (const write of writes) {
        try {
          await write();
        } catch (err) {
          log({ event: "internal_error", serial, message: `D1 write failed: ${String(err)}` });
        }
      }
    });
    this.writeChain = run;
    if (awaitWrites) await run;
    else this.ctx.waitUntil(run);
  }
}

function attachment(ws: WebSocket): Conn | undefined {
  return (ws.deserializeAttachment() as Conn | null) ?? undefined;
}

/** A device conn with the last ping workerd answered for it (never stored: read fresh each time). */
function withPong(conn: Conn | undefined, pongAt: Date | null): Conn | undefined {
  return conn?.role === "device" && pongAt ? { ...conn, lastPongAt: pongAt.getTime() } : conn;
}
