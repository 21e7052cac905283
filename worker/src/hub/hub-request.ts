// Why: the worker authenticates, then hands the upgrade to the serial's DeviceHub. These
// headers carry what it verified; the hub is reachable only through the worker, so they are
// trusted there and built fresh here (never copied from the client's request).
import { NatStatusSchema, SESSION_ROLES, type NatStatus, type SessionRole } from "../../../protocol/index.ts";
import type { RequesterLocation } from "../turn/index.ts";

export const HUB_HEADERS = {
  serial: "x-porthole-serial",
  sessionId: "x-porthole-session",
  ticketExpiresAt: "x-porthole-ticket-exp",
  userId: "x-porthole-user",
  role: "x-porthole-role",
  grant: "x-porthole-grant",
  maxViewers: "x-porthole-max-viewers",
  /** JSON RequesterLocation from request.cf, to pick the nearest TURN regions. */
  location: "x-porthole-location",
  /** A resume token (grace.ts): the upgrade continues session `sessionId` instead of opening one. */
  resumeToken: "x-porthole-resume",
  /** The camera's network tag (net/network-tag.ts), absent when its address is unknown. */
  networkTag: "x-porthole-network-tag",
  /** JSON ViewerSessionInfo: a /ws/watch admission's first message to the viewer. */
  sessionInfo: "x-porthole-session-info",
} as const;

/** What the worker verified about a viewer before forwarding its upgrade. */
export interface ViewerAdmission {
  sessionId: string;
  /** Epoch seconds the grant expires (the hub remembers the used session id until then). */
  expiresAt: number;
  userId: string | null;
  role: SessionRole;
  /** The raw grant JWT, passed on to the device in session-start. */
  grant: string;
  /** devices.max_viewers, read from D1 by the worker for this connection. */
  maxViewers: number;
  /** Where the viewer connected from (request.cf); empty when unknown. */
  location: RequesterLocation;
  /**
   * A /ws/watch admission (grant and socket in one request): what POST /api/sessions would have
   * answered, sent to the viewer as its socket's first message (session-info).
   */
  sessionInfo?: ViewerSessionInfo;
}

export interface ViewerSessionInfo {
  reportToken: string;
  cameraNat: NatStatus | null;
  /** The viewer's protocol version: the upgrade stands for its hello (VIEWER_VERSION_QUERY). */
  v: number;
}

export function deviceUpgradeRequest(serial: string, location: RequesterLocation = {}, networkTag: string | null = null): Request {
  return new Request("https://hub.internal/device", {
    headers: {
      upgrade: "websocket",
      [HUB_HEADERS.serial]: serial,
      [HUB_HEADERS.location]: JSON.stringify(location),
      ...(networkTag ? { [HUB_HEADERS.networkTag]: networkTag } : {}),
    },
  });
}

/** The network tag header back; anything but a tag's shape is "unknown". */
export function readNetworkTag(headers: Headers): string | null {
  const tag = headers.get(HUB_HEADERS.networkTag);
  return tag && /^[A-Za-z0-9_-]{22}$/.test(tag) ? tag : null;
}

/** Reads the location header back; anything malformed is just "unknown". */
export function readLocation(headers: Headers): RequesterLocation {
  try {
    const v = JSON.parse(headers.get(HUB_HEADERS.location) ?? "{}") as unknown;
    if (!v || typeof v !== "object") return {};
    const o = v as Record<string, unknown>;
    const loc: RequesterLocation = {};
    if (typeof o.continent === "string") loc.continent = o.continent;
    if (typeof o.country === "string") loc.country = o.country;
    if (typeof o.lat === "number" && typeof o.lon === "number") {
      loc.lat = o.lat;
      loc.lon = o.lon;
    }
    return loc;
  } catch {
    return {};
  }
}

export function viewerUpgradeRequest(serial: string, a: ViewerAdmission): Request {
  return new Request("https://hub.internal/viewer", {
    headers: {
      upgrade: "websocket",
      [HUB_HEADERS.serial]: serial,
      [HUB_HEADERS.sessionId]: a.sessionId,
      [HUB_HEADERS.ticketExpiresAt]: String(a.expiresAt),
      [HUB_HEADERS.userId]: a.userId ?? "",
      [HUB_HEADERS.role]: a.role,
      [HUB_HEADERS.grant]: a.grant,
      [HUB_HEADERS.maxViewers]: String(a.maxViewers),
      [HUB_HEADERS.location]: JSON.stringify(a.location),
      ...(a.sessionInfo ? { [HUB_HEADERS.sessionInfo]: JSON.stringify(a.sessionInfo) } : {}),
    },
  });
}

/** A viewer's request to continue a session on a new socket; the hub checks the token. */
export interface ViewerResume {
  sessionId: string;
  token: string;
}

export function viewerResumeRequest(serial: string, r: ViewerResume): Request {
  return new Request("https://hub.internal/viewer", {
    headers: { upgrade: "websocket", [HUB_HEADERS.serial]: serial, [HUB_HEADERS.sessionId]: r.sessionId, [HUB_HEADERS.resumeToken]: r.token },
  });
}

/** The resume headers, or undefined when the upgrade carries a ticket admission instead. */
export function readViewerResume(headers: Headers): ViewerResume | undefined {
  const sessionId = headers.get(HUB_HEADERS.sessionId);
  const token = headers.get(HUB_HEADERS.resumeToken);
  return sessionId && token ? { sessionId, token } : undefined;
}

/** Reads the admission back in the hub; undefined if a header is missing or malformed. */
export function readViewerAdmission(headers: Headers): ViewerAdmission | undefined {
  const sessionId = headers.get(HUB_HEADERS.sessionId);
  const expiresAt = Number(headers.get(HUB_HEADERS.ticketExpiresAt));
  const role = headers.get(HUB_HEADERS.role) as SessionRole | null;
  const grant = headers.get(HUB_HEADERS.grant);
  const maxViewers = Number(headers.get(HUB_HEADERS.maxViewers));
  const userId = headers.get(HUB_HEADERS.userId);
  if (!sessionId || !Number.isFinite(expiresAt) || !role || !SESSION_ROLES.includes(role) || !grant || !Number.isInteger(maxViewers)) {
    return undefined;
  }
  const sessionInfo = readSessionInfo(headers);
  return { sessionId, expiresAt, userId: userId ? userId : null, role, grant, maxViewers, location: readLocation(headers), ...(sessionInfo ? { sessionInfo } : {}) };
}

/** The session-info header back; the worker wrote it, so anything else is simply absent. */
function readSessionInfo(headers: Headers): ViewerSessionInfo | undefined {
  const raw = headers.get(HUB_HEADERS.sessionInfo);
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as { reportToken?: unknown; cameraNat?: unknown; v?: unknown };
    if (typeof v.reportToken !== "string" || !Number.isInteger(v.v)) return undefined;
    return { reportToken: v.reportToken, cameraNat: NatStatusSchema.safeParse(v.cameraNat).data ?? null, v: v.v as number };
  } catch {
    return undefined;
  }
}

/** The DeviceHub for one serial (one Durable Object per camera). */
export function hubFor(env: Env, serial: string) {
  return env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(serial));
}
