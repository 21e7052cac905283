// Why: the hub logic is pure ((state, event) → effects); this plays the DO shell's part with
// the same memory and reducer the shell uses (hub-memory.ts), so unit tests can run whole
// scenarios and read what each socket was sent or how it was closed.
import type { ErrorCode } from "../../../protocol/index.ts";
import type { OpenConnection } from "../../src/hub/connection-end.ts";
import { findResumable } from "../../src/hub/grace.ts";
import { handleHubEvent } from "../../src/hub/hub.ts";
import { emptyMemory, graceOf, remember, stateOf, type HubMemory } from "../../src/hub/hub-memory.ts";
import type { Conn, DeviceConn, Effect, Frame, GraceSession, HubState, ViewerConn } from "../../src/hub/types.ts";

export const TEST_ICE = [{ urls: "stun:stun.test.invalid:3478" }];

export class FakeHub {
  readonly memory: HubMemory = emptyMemory();
  private clock = 1_000;
  private seq = 0;
  readonly serial: string;

  constructor(serial = "CAM-UNIT-1") {
    this.serial = serial;
  }

  /** The sockets the hub holds, in connect order. */
  get conns(): Conn[] {
    return [...this.memory.conns.values()];
  }

  /** Replaces the sockets (a test removing one as if it vanished). */
  set conns(list: Conn[]) {
    this.memory.conns = new Map(list.map((c) => [c.id, c]));
  }

  /** Sessions waiting in grace, as the hub's memory holds them. */
  get grace(): GraceSession[] {
    return graceOf(this.memory);
  }

  get deviceAwayUntil(): number | null {
    return this.memory.deviceAwayUntil;
  }

  state(): HubState {
    return stateOf(this.memory, { serial: this.serial, iceServers: TEST_ICE, heartbeatSeconds: 30 }, this.clock);
  }

  conn<C extends Conn>(id: string): C {
    const c = this.conns.find((x) => x.id === id);
    if (!c) throw new Error(`no conn ${id}`);
    return c as C;
  }

  /** Runs one event and moves the hub's memory forward by its effects, as the shell does. */
  run(event: Parameters<typeof handleHubEvent>[1]): Effect[] {
    const effects = handleHubEvent(this.state(), event);
    remember(this.memory, effects);
    return effects;
  }

  /**
   * An edge restart: every socket vanishes without a close event and the memory is rebuilt
   * from what storage kept (sessions, absence); then the wake event decides what that means.
   */
  restart(open: OpenConnection[] = []): Effect[] {
    const sessions = [...this.memory.sessions.values()];
    this.memory.conns.clear();
    return this.run({ type: "wake", sessions, open });
  }

  connectDevice(id = `d${++this.seq}`): { id: string; effects: Effect[] } {
    const conn: DeviceConn = { role: "device", id, serial: this.serial, phase: "awaiting-hello", connectedAt: ++this.clock };
    this.memory.conns.set(id, conn);
    return { id, effects: this.run({ type: "device-connected", conn }) };
  }

  /** Advances the hub's clock (the `now` every later event sees). */
  advance(ms: number): void {
    this.clock += ms;
  }

  connectViewer(
    sessionId: string,
    id = `v${++this.seq}`,
    opts: { maxViewers?: number; userId?: string | null; sessionRole?: ViewerConn["sessionRole"]; helloFollows?: boolean } = {},
  ): { id: string; effects: Effect[] } {
    const conn: ViewerConn = {
      role: "viewer",
      id,
      serial: this.serial,
      phase: "awaiting-hello",
      connectedAt: ++this.clock,
      sessionId,
      userId: opts.userId === undefined ? `user-${id}` : opts.userId,
      sessionRole: opts.sessionRole ?? "viewer",
      grant: `grant-for-${sessionId}`,
      resumeToken: `resume-${id}`,
    };
    this.memory.conns.set(id, conn);
    return { id, effects: this.run({ type: "viewer-connected", conn, maxViewers: opts.maxViewers ?? 10, ...(opts.helloFollows ? { helloFollows: true } : {}) }) };
  }

  /**
   * A new socket presents `token` to continue `sessionId`, as the DO shell builds it: the
   * session's own fields when the token finds it, placeholders otherwise (to be refused).
   */
  resumeViewer(sessionId: string, token: string, id = `v${++this.seq}`): { id: string; effects: Effect[] } {
    const from = findResumable(this.state(), sessionId, token);
    const base = from?.from === "grace" ? from.session.conn : from?.conn;
    const conn: ViewerConn = {
      ...(base ?? { role: "viewer", serial: this.serial, sessionId, userId: null, sessionRole: "code", grant: "-" }),
      id,
      phase: "awaiting-hello",
      connectedAt: ++this.clock,
      resumeToken: `resume-${id}`,
      resumed: true,
    };
    this.memory.conns.set(id, conn);
    return { id, effects: this.run({ type: "viewer-connected", conn, maxViewers: 10, resume: { token } }) };
  }

  /** An alarm tick. A device's pong goes onto its conn, as the DO shell reads it (withPong). */
  heartbeat(lastPongAt: Record<string, number> = {}): Effect[] {
    this.conns = this.conns.map((c) => (c.role === "device" && lastPongAt[c.id] !== undefined ? { ...c, lastPongAt: lastPongAt[c.id] } : c));
    return this.run({ type: "heartbeat", lastPongAt });
  }

  /** The device connection records the effects ask for (connection-end.ts). */
  static ends(effects: Effect[]): Array<Extract<Effect, { type: "connection-end" }>["end"]> {
    return effects.flatMap((e) => (e.type === "connection-end" ? [e.end] : []));
  }

  endSessions(code: ErrorCode, userId?: string): Effect[] {
    return this.run({ type: "end-sessions", code, ...(userId !== undefined ? { userId } : {}) });
  }

  fromDevice(id: string, frame: Frame | object): Effect[] {
    return this.run({ type: "device-message", conn: this.conn<DeviceConn>(id), frame: asFrame(frame) });
  }

  fromViewer(id: string, frame: Frame | object): Effect[] {
    return this.run({ type: "viewer-message", conn: this.conn<ViewerConn>(id), frame: asFrame(frame) });
  }

  deviceClosed(id: string, code = 1000, reason = ""): Effect[] {
    return this.run({ type: "device-closed", conn: this.conn<DeviceConn>(id), code, reason });
  }

  viewerClosed(id: string, code = 1000, reason = ""): Effect[] {
    return this.run({ type: "viewer-closed", conn: this.conn<ViewerConn>(id), code, reason });
  }
}

function asFrame(frame: Frame | object): Frame {
  return typeof frame === "string" || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame);
}

/** Messages sent to one socket, in order. */
export function sentTo(effects: Effect[], id: string): Array<Record<string, unknown>> {
  return effects.flatMap((e) => (e.type === "send" && e.to === id ? [e.message as Record<string, unknown>] : []));
}

/** Every socket that received a message. */
export function recipients(effects: Effect[]): string[] {
  return [...new Set(effects.flatMap((e) => (e.type === "send" ? [e.to] : [])))];
}

/** Close effects, as {to, code, reason}. */
export function closes(effects: Effect[]): Array<{ to: string; code: number; reason: string }> {
  return effects.flatMap((e) => (e.type === "close" ? [{ to: e.to, code: e.code, reason: e.reason }] : []));
}

/** The viewer_sessions writes the effects ask for. */
export function sessionRecords(effects: Effect[]): Array<Extract<Effect, { type: "session-record" }>["record"]> {
  return effects.flatMap((e) => (e.type === "session-record" ? [e.record] : []));
}

export function recordsLastSeen(effects: Effect[]): boolean {
  return effects.some((e) => e.type === "device-seen");
}
