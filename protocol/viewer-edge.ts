// Why: the messages on a viewer's signaling WebSocket (/ws/view/:serial?ticket=…). One socket
// is one session; the edge adds the session id when it relays to the device.
import { z } from "zod";
import { IceCandidateSchema, IceServerSchema, SdpSchema, SessionIdSchema } from "./ice.ts";
import { NatStatusSchema } from "./nat.ts";
import { NatSideSchema, type NatSide } from "./path-prediction.ts";

// ---- viewer → edge ----

export const ViewerHelloSchema = z.object({
  type: z.literal("hello"),
  v: z.number().int(),
  client: z.string().max(128).optional(),
});

export const ViewerAnswerSchema = z.object({
  type: z.literal("answer"),
  sdp: SdpSchema,
});

export const ViewerCandidateSchema = z.object({
  type: z.literal("candidate"),
  candidate: IceCandidateSchema,
});

export const ViewerByeSchema = z.object({
  type: z.literal("bye"),
  reason: z.string().max(200).optional(),
});

/** How the viewer's selected ICE pair reaches the camera: same network, direct, or via TURN. */
export const PathKindSchema = z.enum(["lan", "p2p", "relay"]);
export type PathKind = z.infer<typeof PathKindSchema>;

/** The path the viewer's selected ICE pair uses, for the owner's session history. */
export const ViewerPathSchema = z.object({
  type: z.literal("path"),
  path: PathKindSchema,
});

/**
 * The viewer asks for an ICE restart (RFC 8445 §9): its path died or its network changed. The
 * device is the offerer, so it restarts and sends a new offer on this same session (JSEP
 * RFC 8829 §4.1.10: iceRestart in createOffer); media resumes without a new session.
 */
export const ViewerRestartSchema = z.object({
  type: z.literal("restart"),
});

export const ViewerToEdgeSchema = z.discriminatedUnion("type", [
  ViewerHelloSchema,
  ViewerAnswerSchema,
  ViewerCandidateSchema,
  ViewerByeSchema,
  ViewerPathSchema,
  ViewerRestartSchema,
]);
export type ViewerToEdge = z.infer<typeof ViewerToEdgeSchema>;

/**
 * A session can outlive its signaling socket (the hub keeps it in grace ~20 s): welcome carries
 * an opaque resume token, and a new socket at /ws/view/:serial?session=<id>&resume=<token>
 * (instead of ?ticket=) continues the same session. Each token works once; the resumed
 * socket's welcome brings the next one.
 */
/** How long the edge keeps a viewer session after its socket drops, waiting for a resume. */
export const VIEWER_RESUME_GRACE_MS = 20_000;

export const ResumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/);
export const RESUME_QUERY = { sessionId: "session", token: "resume" } as const;

// ---- edge → viewer ----

export const EdgeViewerWelcomeSchema = z.object({
  type: z.literal("welcome"),
  v: z.number().int(),
  sessionId: SessionIdSchema,
  serial: z.string(),
  iceServers: z.array(IceServerSchema).max(8),
  /** Presents this to resume the session on a new socket if this one drops (ResumeTokenSchema). */
  resumeToken: ResumeTokenSchema.optional(),
  /** True when this socket continues an existing session: keep the peer connection, no new offer. */
  resumed: z.boolean().optional(),
});

export const EdgeOfferSchema = z.object({
  type: z.literal("offer"),
  sdp: SdpSchema,
});

export const EdgeViewerCandidateSchema = z.object({
  type: z.literal("candidate"),
  candidate: IceCandidateSchema,
});

/** Sent before the edge closes a viewer socket, so the PWA can show why. */
export const EdgeViewerErrorSchema = z.object({
  type: z.literal("error"),
  code: z.string().min(1).max(64),
  message: z.string().max(500),
  /** device_busy: how many are watching and how many the camera allows ("3 of 3 viewers"). */
  watching: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().optional(),
});

export const EdgeViewerSessionEndSchema = z.object({
  type: z.literal("session-end"),
  reason: z.string().max(200),
});

/**
 * One round trip for a signed-in viewer (issue 12, item 5): instead of POST /api/sessions for a
 * grant, then a socket at /ws/view/:serial?ticket=… and a hello on it, the PWA opens
 * /ws/watch/:serial?v=… and the session cookie is the proof. The edge makes the same checks and the same grant, and says first
 * on the socket what the grant's response would have said (session-info). Resume, access codes
 * and third-party viewers keep the two-step path.
 */
export const WATCH_SOCKET_PREFIX = "/ws/watch/";
/** Query parameter carrying the viewer's connection-test NAT (formatViewerNatParam). */
export const VIEWER_NAT_QUERY = "nat";
/**
 * Query parameter with the viewer's protocol version on /ws/watch: the upgrade is its hello, so
 * the hub welcomes it and starts the camera at once — the viewer sends no hello there (half a
 * round trip to the edge saved). The hub refuses an unsupported version as it would a hello's.
 */
export const VIEWER_VERSION_QUERY = "v";

/** What POST /api/sessions answers besides the ticket, sent first on a /ws/watch socket. */
export const EdgeViewerSessionInfoSchema = z.object({
  type: z.literal("session-info"),
  sessionId: SessionIdSchema,
  /** For POST /api/session-reports/:sessionId (as CreateSessionResponse.reportToken). */
  reportToken: z.string().min(1).max(2048),
  cameraNat: NatStatusSchema.nullable(),
});
export type EdgeViewerSessionInfo = z.infer<typeof EdgeViewerSessionInfoSchema>;

/** "mapping.filtering.0|1": the viewer's NatSide in a URL (no JSON in a query string). */
export function formatViewerNatParam(side: NatSide): string {
  return `${side.mapping}.${side.filtering}.${side.udpBlocked ? 1 : 0}`;
}

/** The NatSide back, or undefined for anything that is not exactly one. */
export function parseViewerNatParam(v: string | undefined | null): NatSide | undefined {
  if (!v || v.length > 128) return undefined;
  const [mapping, filtering, blocked, ...rest] = v.split(".");
  if (rest.length > 0 || (blocked !== "0" && blocked !== "1")) return undefined;
  return NatSideSchema.safeParse({ mapping, filtering, udpBlocked: blocked === "1" }).data;
}

export const EdgeToViewerSchema = z.discriminatedUnion("type", [
  EdgeViewerWelcomeSchema,
  EdgeViewerSessionInfoSchema,
  EdgeOfferSchema,
  EdgeViewerCandidateSchema,
  EdgeViewerErrorSchema,
  EdgeViewerSessionEndSchema,
]);
export type EdgeToViewer = z.infer<typeof EdgeToViewerSchema>;
