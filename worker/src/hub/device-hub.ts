// Why: the Durable Object is a thin lifecycle shell: it turns workerd's WebSocket hibernation
// callbacks into HubEvents, runs the pure logic (hub.ts) and performs the effects. State that
// must survive hibernation lives in socket attachments and DO SQLite, never in fields.
import { DurableObject } from "cloudflare:workers";
import { ERROR_CODES, type ErrorCode } from "../../../protocol/index.ts";
import { deviceHeartbeatSeconds, iceServers } from "../config.ts";
import { db } from "../db/client.ts";
import { endConnection, insertConnection } from "../db/device-connections.ts";
import { setNatStatus, setRevoked, touchLastSeen } from "../db/devices.ts";
import { endViewerSession, insertViewerSession, setViewerSessionPath } from "../db/viewer-session-writes.ts";
import { log } from "../log.ts";
import { newConnId } from "../random.ts";
import { rejectSocket } from "../ws/reject-socket.ts";
import { presenceOf, type HubPresence } from "./conns.ts";
import { failAndClose } from "./effects.ts";
import { DEVICE_AWAY_MS } from "./device-events.ts";
import { orphanedConnections } from "./connection-end.ts";
import { nextCheckAt } from "./device-heartbeat.ts";
import { findResumable, VIEWER_GRACE_MS } from "./grace.ts";
import { handleHubEvent } from "./hub.ts";
import { mintSessionTurn, turnConfig, type SessionTurn } from "../turn/index.ts";
import { HUB_HEADERS, readLocation, readNetworkTag, readViewerAdmission, readViewerResume, type ViewerAdmission, type ViewerResume } from "./hub-request.ts";
import { OpenConnections } from "./open-connections.ts";
import { newResumeToken } from "./resume-token.ts";
import type { Conn, DeviceConn, Effect, GraceSession, HubEvent, HubState, SessionRecord, ViewerConn } from "./types.ts";
import { viewersToEnd } from "./viewer-events.ts";

/** A socket's last-activity stamp is rewritten at most this often (attachment writes are not free). */
const ACTIVITY_STAMP_MS = 1_000;

export class DeviceHub extends DurableObject<Env> {
  /** D1 writes in the order the hub decided them (see apply()). */
  private writeChain: Promise<void> = Promise.resolve();
  /** Device connections not yet recorded as ended (survives a restart; open-connections.ts). */
  private readonly openConns: OpenConnections;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Keep-alive answered by workerd itself, without waking the object (devices every 30 s,
    // viewers every 5 s); getWebSocketAutoResponseTimestamp() tells the alarm who is alive.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // Ticket ids already used here; a ticket is single-use until it expires.
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS used_tickets (sid TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
    // Sessions under way (grace.ts): `until` is null while a socket carries the session, else
    // when its grace ends. Kept here, not only in socket attachments, because an edge restart
    // drops every socket without webSocketClose: the rows are what a viewer resumes after it.
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS live_sessions (sid TEXT PRIMARY KEY, conn TEXT NOT NULL, until INTEGER)");
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hub_flags (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
    this.openConns = new OpenConnections(ctx.storage.sql);
  }

  override async fetch(request: Request): Promise<Response> {
    const serial = request.headers.get(HUB_HEADERS.serial);
    if (!serial || request.headers.get("upgrade") !== "websocket") return new Response("bad hub request", { status: 400 });
    await this.reapLostConnections(serial);
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

  /** Online state and viewer count, derived from the sockets held (correct after hibernation). */
  async presence(): Promise<HubPresence> {
    await this.reapLostConnections("");
    return presenceOf(this.state(""));
  }

  /**
   * Device connections noted open whose socket is gone without a close event: the edge
   * restarted. Checked whenever the object is asked something (a restart wakes it only then),
   * never from a socket's own close handler, where the closing socket is already gone.
   */
  private async reapLostConnections(serial: string): Promise<void> {
    const open = this.openConns.all();
    if (open.length === 0) return;
    const state = this.state(serial);
    const live = new Set(state.conns.map((c) => c.id));
    const effects = orphanedConnections(state.serial, open, live, state.now);
    if (effects.length > 0) await this.apply(state.serial, effects);
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
    const state = this.state(serial);
    const effects: Effect[] = [];
    for (const c of state.conns) {
      if (c.role !== "device" || c.phase === "closing") continue;
      // As if it had disconnected (viewers cut, last-seen kept), then tell it why.
      const ended = code === "device_revoked" ? "token-revoked" : "token-superseded";
      effects.push(...handleHubEvent(state, { type: "device-closed", conn: c, code: ERROR_CODES[code].close, reason: code, final: true, ended }));
      effects.push(...failAndClose(c, code));
    }
    await this.apply(serial, effects);
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
    const state = this.state("");
    // Sessions in grace count too: a revoked viewer must not resume one.
    const parked = (state.grace ?? []).filter((g) => userId === undefined || g.conn.userId === userId).length;
    const count = viewersToEnd(state, userId).length + parked;
    if (count > 0) await this.apply(state.serial, handleHubEvent(state, { type: "end-sessions", code, ...(userId !== undefined ? { userId } : {}) }));
    return count;
  }

  /** Heartbeat: close viewers and a camera that stopped pinging, then re-arm while any is left. */
  override async alarm(): Promise<void> {
    await this.reapLostConnections("");
    const state = this.state("");
    if (!state.serial) return;
    // The camera's pings never wake the object: carry the last one into its open record, so an
    // edge restart later still knows roughly when it was last seen.
    for (const c of state.conns) if (c.role === "device" && c.lastPongAt) this.openConns.seen(c.id, c.lastPongAt);
    const lastPongAt: Record<string, number> = {};
    for (const ws of this.ctx.getWebSockets("viewer")) {
      const c = attachment(ws);
      const at = this.ctx.getWebSocketAutoResponseTimestamp(ws);
      if (c && at) lastPongAt[c.id] = at.getTime();
    }
    await this.apply(state.serial, handleHubEvent(state, { type: "heartbeat", lastPongAt }));
    const next = nextCheckAt(this.state(state.serial));
    if (next !== null) await this.ctx.storage.setAlarm(next);
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
    server.serializeAttachment(conn);
    await this.run({ type: "device-connected", conn });
    // Watch its pings (device-heartbeat.ts).
    await this.armHeartbeat();
    return new Response(null, { status: 101, webSocket: client });
  }

  private async connectViewer(serial: string, a: ViewerAdmission): Promise<Response> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM used_tickets WHERE expires_at < ?", Math.floor(Date.now() / 1000));
    // RETURNING, not rowsWritten: rowsWritten also counts the primary-key index row.
    const inserted = sql
      .exec("INSERT INTO used_tickets (sid, expires_at) VALUES (?, ?) ON CONFLICT (sid) DO NOTHING RETURNING sid", a.sessionId, a.expiresAt)
      .toArray();
    if (inserted.length !== 1) {
      log({ event: "viewer_refused", serial, sessionId: a.sessionId, code: "ticket_invalid", detail: "reused" });
      return rejectSocket("ticket_invalid", "This ticket was already used. Enter the access code again.");
    }
    // Minted before the synchronous admission below (WebCrypto is async); a refused viewer's
    // credentials are simply never sent.
    const turn = await this.mintTurn(serial, a);
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
    server.serializeAttachment(conn);
    await this.run({ type: "viewer-connected", conn, maxViewers: a.maxViewers });
    await this.armHeartbeat();
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * A viewer continues its session on a new socket (grace.ts). The new socket inherits who the
   * session is for from the session itself; the hub logic checks the token again (and refuses
   * through the socket, as browsers cannot read a refused upgrade).
   */
  private async resumeViewer(serial: string, r: ViewerResume): Promise<Response> {
    // Read before the new socket is accepted: once it holds the session id, the session no
    // longer looks socketless (in grace) to sessionsWithoutSockets().
    const before = this.state(serial);
    const found = findResumable(before, r.sessionId, r.token);
    const from = found?.from === "grace" ? found.session.conn : found?.conn;
    const base: ViewerConn = from ?? { role: "viewer", id: "", serial, phase: "awaiting-hello", connectedAt: 0, sessionId: r.sessionId, userId: null, sessionRole: "code", grant: "-" };
    const { lastActiveAt: _stale, ...session } = base;
    const conn: ViewerConn = { ...session, id: newConnId(), phase: "awaiting-hello", connectedAt: Date.now(), resumeToken: newResumeToken(), resumed: true };
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["viewer", `session:${r.sessionId}`]);
    server.serializeAttachment(conn);
    await this.run({ type: "viewer-connected", conn, maxViewers: 0, resume: { token: r.token } }, { ...before, conns: [...before.conns, conn] });
    await this.armHeartbeat();
    return new Response(null, { status: 101, webSocket: client });
  }

  /** TURN credentials for both sides of a session, or undefined when TURN is not configured. */
  private async mintTurn(serial: string, a: ViewerAdmission): Promise<SessionTurn | undefined> {
    const config = turnConfig(this.env);
    if (!config) return undefined;
    const device = this.state(serial).conns.find((c) => c.role === "device" && c.phase === "ready");
    const deviceLocation = device?.role === "device" ? (device.location ?? {}) : {};
    return mintSessionTurn(config, a.sessionId, { viewer: a.location, device: deviceLocation }, Date.now());
  }

  /** Starts the heartbeat alarm if a socket is watched and none is pending. */
  private async armHeartbeat(): Promise<void> {
    const next = nextCheckAt(this.state(""));
    if (next !== null && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(next);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    let conn = attachment(ws);
    if (!conn) return;
    const now = Date.now();
    if (now - (conn.lastActiveAt ?? conn.connectedAt) >= ACTIVITY_STAMP_MS) {
      conn = { ...conn, lastActiveAt: now };
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
    const conn = withPong(attachment(ws), this.ctx.getWebSocketAutoResponseTimestamp(ws));
    if (!conn) return;
    await this.run(conn.role === "device" ? { type: "device-closed", conn, code, reason } : { type: "viewer-closed", conn, code, reason });
  }

  private state(serial: string): HubState {
    const conns: Conn[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const c = withPong(attachment(ws), this.ctx.getWebSocketAutoResponseTimestamp(ws));
      if (c) conns.push(c);
    }
    const { grace, deviceAwayUntil } = this.sessionsWithoutSockets(conns);
    return {
      serial: serial || conns[0]?.serial || grace[0]?.conn.serial || "",
      conns,
      grace,
      deviceAwayUntil,
      iceServers: iceServers(this.env),
      turnRegions: turnConfig(this.env)?.regions ?? [],
      heartbeatSeconds: deviceHeartbeatSeconds(this.env as Env & { DEVICE_HEARTBEAT_SECONDS?: string }),
      now: Date.now(),
    };
  }

  /**
   * Sessions whose socket is gone are in grace; the camera without a socket while sessions are
   * under way is away. Normally the close handlers recorded when; sockets that vanished without
   * one (the edge restarted) count as gone from now, so their viewers and camera can come back.
   */
  private sessionsWithoutSockets(conns: readonly Conn[]): { grace: GraceSession[]; deviceAwayUntil: number | null } {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    const attached = new Set(conns.flatMap((c) => (c.role === "viewer" && c.phase !== "closing" ? [c.sessionId] : [])));
    const rows = sql.exec<{ sid: string; conn: string; until: number | null }>("SELECT sid, conn, until FROM live_sessions").toArray();
    const grace: GraceSession[] = [];
    for (const row of rows) {
      if (attached.has(row.sid)) continue;
      let until = row.until;
      if (until === null) {
        until = now + VIEWER_GRACE_MS;
        sql.exec("UPDATE live_sessions SET until = ? WHERE sid = ?", until, row.sid);
      }
      grace.push({ conn: JSON.parse(row.conn) as ViewerConn, until });
    }
    let away = sql.exec<{ value: number }>("SELECT value FROM hub_flags WHERE name = 'device_away_until'").toArray()[0]?.value ?? null;
    if (away === null && rows.length > 0 && !conns.some((c) => c.role === "device" && c.phase !== "closing")) {
      away = now + DEVICE_AWAY_MS;
      sql.exec("INSERT INTO hub_flags (name, value) VALUES ('device_away_until', ?)", away);
    }
    return { grace, deviceAwayUntil: away };
  }

  private async run(event: HubEvent & { conn: Conn }, given?: HubState): Promise<void> {
    const serial = event.conn.serial;
    const state = given ?? this.state(serial);
    // In webSocketClose the closing socket is already gone from getWebSockets(); without it
    // the hub would not see that the current device left (viewers not cut, last seen lost).
    if (!state.conns.some((c) => c.id === event.conn.id)) state.conns = [...state.conns, event.conn];
    await this.apply(serial, handleHubEvent(state, event));
  }

  /**
   * Performs the effects. Socket effects run first and synchronously, in order; D1 writes
   * (last seen, session history) are awaited only after, so no other event can interleave
   * between the hub's decision and the phase changes that make it stick.
   */
  private async apply(serial: string, effects: Effect[]): Promise<void> {
    const sockets = new Map<string, WebSocket>();
    for (const ws of this.ctx.getWebSockets()) {
      const c = attachment(ws);
      if (c) sockets.set(c.id, ws);
    }
    const writes: Array<() => Promise<void>> = [];
    const sql = this.ctx.storage.sql;
    let waiting = false;
    for (const effect of effects) {
      switch (effect.type) {
        case "send":
          trySocket(() => sockets.get(effect.to)?.send(JSON.stringify(effect.message)));
          break;
        case "close":
          trySocket(() => sockets.get(effect.to)?.close(effect.code, effect.reason));
          break;
        case "set-phase": {
          const ws = sockets.get(effect.to);
          const c = ws && attachment(ws);
          if (ws && c) ws.serializeAttachment({ ...c, phase: effect.phase });
          break;
        }
        case "device-seen":
          writes.push(() => touchLastSeen(db(this.env.DB), serial, new Date()));
          break;
        case "device-nat": {
          const nat = effect.nat;
          writes.push(() => setNatStatus(db(this.env.DB), serial, nat, new Date()));
          break;
        }
        case "session-record":
          writes.push(() => this.record(effect.record));
          break;
        case "connection-open": {
          const c = effect.conn;
          this.openConns.open(c.id, c.connectedAt);
          const row = { id: c.id, serial, connectedAt: new Date(c.connectedAt), networkTag: c.networkTag ?? null };
          writes.push(() => insertConnection(db(this.env.DB), row));
          break;
        }
        case "connection-end": {
          const e = effect.end;
          this.openConns.close(e.connId);
          const row = { id: e.connId, reason: e.reason, closeCode: e.closeCode, endedAt: new Date(e.endedAt), lastSeenAt: new Date(e.lastSeenAt) };
          writes.push(() => endConnection(db(this.env.DB), row));
          break;
        }
        case "log":
          log(effect.event);
          break;
        case "session-put":
        case "grace-put": {
          const conn = effect.type === "session-put" ? effect.conn : effect.session.conn;
          const until = effect.type === "session-put" ? null : effect.session.until;
          sql.exec(
            "INSERT INTO live_sessions (sid, conn, until) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET conn = excluded.conn, until = excluded.until",
            conn.sessionId,
            JSON.stringify(conn),
            until,
          );
          waiting ||= until !== null;
          break;
        }
        case "grace-drop":
          sql.exec("DELETE FROM live_sessions WHERE sid = ?", effect.sessionId);
          break;
        case "device-away":
          if (effect.until === null) sql.exec("DELETE FROM hub_flags WHERE name = 'device_away_until'");
          else sql.exec("INSERT INTO hub_flags (name, value) VALUES ('device_away_until', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", effect.until);
          waiting ||= effect.until !== null;
          break;
        default:
          effect satisfies never;
      }
    }
    // Grace and absence end on the alarm tick, even with no viewer socket left to ping.
    if (waiting) await this.armHeartbeat();
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
    await run;
  }

  private async record(r: SessionRecord): Promise<void> {
    const d = db(this.env.DB);
    switch (r.op) {
      case "start":
        return insertViewerSession(d, { sessionId: r.sessionId, serial: r.serial, userId: r.userId, role: r.role, startedAt: new Date(r.at) });
      case "path":
        return setViewerSessionPath(d, r.sessionId, r.path);
      case "end":
        return endViewerSession(d, r.sessionId, new Date(r.at), r.reason);
      default:
        r satisfies never;
    }
  }
}

function attachment(ws: WebSocket): Conn | undefined {
  return (ws.deserializeAttachment() as Conn | null) ?? undefined;
}

/** A device conn with the last ping workerd answered for it (never stored: read fresh each time). */
function withPong(conn: Conn | undefined, pongAt: Date | null): Conn | undefined {
  return conn?.role === "device" && pongAt ? { ...conn, lastPongAt: pongAt.getTime() } : conn;
}

/** 1005/1006/1015 describe a close but may not be sent in a close frame (RFC 6455 §7.4.1). */
function sendableCloseCode(code: number): number {
  return code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999) ? code : 1000;
}

/** A peer may vanish between our decision and the write; that must not abort the other effects. */
function trySocket(action: () => void): void {
  try {
    action();
  } catch {
    // Socket already closed: its close event brings the hub up to date.
  }
}
