// Why: request and response bodies of the account, camera and sharing API (issue: accounts and
// access control), validated by the edge on the way in and by the PWA on the way back.
import { z } from "zod";
import { AccessCodeSchema } from "./http.ts";
import { SerialSchema, SessionIdSchema } from "./ice.ts";
import { PathKindSchema } from "./viewer-edge.ts";
import { StoredSessionReportSchema } from "./session-report.ts";
import { MAX_MAX_VIEWERS, MIN_MAX_VIEWERS, ROLES, SESSION_ROLES, SHARE_ROLES } from "./roles.ts";

/** Stored lower-cased; one address per account. */
export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "not an email address");

/** NIST SP 800-63B §5.1.1: at least 8 characters, long passphrases allowed. */
export const PasswordSchema = z.string().min(8, "at least 8 characters").max(256);

/** POST /api/auth/signup and POST /api/auth/login. */
export const CredentialsSchema = z.object({ email: EmailSchema, password: PasswordSchema });
export type Credentials = z.infer<typeof CredentialsSchema>;

export const UserIdSchema = z.string().regex(/^u_[A-Za-z0-9_-]{8,64}$/);

/** GET /api/me, and the answer to signup/login. */
export const MeSchema = z.object({
  user: z.object({ id: UserIdSchema, email: z.string() }),
  /** ISO time the session cookie's JWT expires (it is renewed while in use). */
  sessionExpiresAt: z.string(),
});
export type Me = z.infer<typeof MeSchema>;

export const RoleSchema = z.enum(ROLES);
export const ShareRoleSchema = z.enum(SHARE_ROLES);
/** The name an owner gives a camera ("Front door"). */
export const CameraNameSchema = z.string().trim().min(1).max(128);
export const MaxViewersSchema = z.number().int().min(MIN_MAX_VIEWERS).max(MAX_MAX_VIEWERS);

/** One camera in "my cameras". */
export const CameraSchema = z.object({
  serial: SerialSchema,
  name: z.string(),
  role: RoleSchema,
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  viewers: z.number().int().nonnegative(),
  maxViewers: MaxViewersSchema,
  /** Owner only: whether the label's access code alone may watch. */
  allowCodeViewing: z.boolean(),
  /**
   * Unix ms the camera's latest event started (the edge's event index, events-api.ts), for "Motion
   * 5 min ago". GET /api/cameras only; absent when none is kept or the role has no `playback`.
   */
  lastEventAt: z.number().optional(),
});
export type Camera = z.infer<typeof CameraSchema>;

/** GET /api/cameras */
export const CameraListSchema = z.object({ cameras: z.array(CameraSchema) });
export type CameraList = z.infer<typeof CameraListSchema>;

/** POST /api/cameras — claim a camera with its label: the caller becomes its owner. */
export const ClaimCameraRequestSchema = z.object({
  serial: SerialSchema,
  accessCode: AccessCodeSchema,
  name: CameraNameSchema.optional(),
});
export type ClaimCameraRequest = z.infer<typeof ClaimCameraRequestSchema>;

/** PATCH /api/cameras/:serial (owner). */
export const UpdateCameraRequestSchema = z
  .object({
    name: CameraNameSchema.optional(),
    maxViewers: MaxViewersSchema.optional(),
    allowCodeViewing: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateCameraRequest = z.infer<typeof UpdateCameraRequestSchema>;

/** POST /api/cameras/:serial/access-code (owner): a new label code, shown once. */
export const RotateAccessCodeResponseSchema = z.object({ serial: SerialSchema, accessCode: z.string() });
export type RotateAccessCodeResponse = z.infer<typeof RotateAccessCodeResponseSchema>;

/** POST /api/auth/logout-all: every session cookie of the account ended; how many live viewer sessions were cut. */
export const SignOutEverywhereResponseSchema = z.object({ sessionsEnded: z.number().int().min(0) });
export type SignOutEverywhereResponse = z.infer<typeof SignOutEverywhereResponseSchema>;

/** POST /api/cameras/:serial/shares (owner). */
export const CreateShareRequestSchema = z.object({ email: EmailSchema, role: ShareRoleSchema });
export type CreateShareRequest = z.infer<typeof CreateShareRequestSchema>;

export const ShareSchema = z.object({
  userId: UserIdSchema,
  email: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
});
export type Share = z.infer<typeof ShareSchema>;

/** GET /api/cameras/:serial/shares (owner): everyone with a role, the owner first. */
export const ShareListSchema = z.object({ shares: z.array(ShareSchema) });
export type ShareList = z.infer<typeof ShareListSchema>;

/** GET /api/cameras/:serial/sessions (owner): recent viewer sessions, newest first. */
export const SessionRecordSchema = z.object({
  sessionId: SessionIdSchema,
  email: z.string().nullable(),
  role: z.enum(SESSION_ROLES),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  path: PathKindSchema.nullable(),
  endReason: z.string().nullable(),
  /** What the viewer reported at the session's end (null: no report arrived, e.g. an older PWA). */
  report: StoredSessionReportSchema.nullable(),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;
export const SessionRecordListSchema = z.object({ sessions: z.array(SessionRecordSchema) });
export type SessionRecordList = z.infer<typeof SessionRecordListSchema>;
