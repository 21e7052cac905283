// Why: the edge's durable records (vendors, their devices, auth-failure counters) live in D1;
// this schema is the single source drizzle-kit generates migrations/ from.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { NAT_TYPE_NAMES, type NatStatus } from "../../../protocol/nat.ts";
import { CONNECTION_END_REASONS } from "../../../protocol/camera-diagnostics.ts";
import type { DoctorReportCheck } from "../../../protocol/device-doctor.ts";
import { PREDICTED_PATHS, PREDICTION_REASONS } from "../../../protocol/path-prediction.ts";
import { BROWSER_FAMILIES, RELAY_TRANSPORTS, REPORT_STAGES, SESSION_OUTCOMES } from "../../../protocol/session-report.ts";
import { SESSION_ROLES } from "../../../protocol/roles.ts";

/** A camera maker. Its public key verifies the device tokens and vendor API calls it signs. */
export const vendors = sqliteTable("vendors", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  /** Public JWK as JSON (no private members). */
  publicJwk: text("public_jwk").notNull(),
  alg: text("alg", { enum: ["ES256", "EdDSA"] }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** A camera, known by the serial printed on its label. */
export const devices = sqliteTable(
  "devices",
  {
    serial: text("serial").primaryKey(),
    vendorId: text("vendor_id")
      .notNull()
      .references(() => vendors.id),
    name: text("name").notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`; the code itself is never stored. */
    accessCodeHash: text("access_code_hash").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    revoked: integer("revoked", { mode: "boolean" }).notNull().default(sql`0`),
    /** Concurrent viewers the hub admits (owner sets 1–10). */
    maxViewers: integer("max_viewers").notNull().default(3),
    /** Owner's choice: may anyone with the label's access code watch without an account? */
    allowCodeViewing: integer("allow_code_viewing", { mode: "boolean" }).notNull().default(sql`0`),
    /** Device tokens must carry this `ver`; re-provisioning bumps it and older tokens die. */
    tokenVersion: integer("token_version").notNull().default(1),
    /** The camera's latest NAT behaviour report (protocol NatStatus as JSON), from its `status` message. */
    natStatus: text("nat_status", { mode: "json" }).$type<NatStatus>(),
    /** When the edge received natStatus. */
    natStatusAt: integer("nat_status_at", { mode: "timestamp_ms" }),
    /** The camera's last `porthole-agent doctor` checks (protocol DoctorReportCheck[] as JSON), uploaded by the agent. */
    doctorReport: text("doctor_report", { mode: "json" }).$type<DoctorReportCheck[]>(),
    /** When the edge received doctorReport (its clock: the camera's may be the problem). */
    doctorReportAt: integer("doctor_report_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("devices_vendor_id_idx").on(t.vendorId)],
);

/** Fixed-window counters of failed access-code attempts, keyed by scope (serial, serial+IP). */
export const authFailures = sqliteTable("auth_failures", {
  key: text("key").primaryKey(),
  /** Epoch ms the current window opened. */
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

/**
 * Every signing key a vendor has registered. The newest one without `validUntil` is current;
 * a rotated-out key keeps verifying tokens until `validUntil` (so cameras can be re-tokened).
 */
export const vendorKeys = sqliteTable(
  "vendor_keys",
  {
    kid: text("kid").primaryKey(),
    vendorId: text("vendor_id")
      .notNull()
      .references(() => vendors.id),
    publicJwk: text("public_jwk").notNull(),
    alg: text("alg", { enum: ["ES256", "EdDSA"] }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Null: current key. Otherwise tokens signed with it are refused after this time. */
    validUntil: integer("valid_until", { mode: "timestamp_ms" }),
  },
  (t) => [index("vendor_keys_vendor_id_idx").on(t.vendorId)],
);

/** A person with an account. Email is stored lower-cased and trimmed. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  /** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`. */
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  /** Bumped by "sign out everywhere"; session JWTs carry it and older ones are refused. */
  sessionVersion: integer("session_version").notNull().default(1),
});

/** Who may do what with a camera: exactly one owner, any number of viewers and guests. */
export const deviceAccess = sqliteTable(
  "device_access",
  {
    serial: text("serial")
      .notNull()
      .references(() => devices.serial),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: ["owner", "viewer", "guest"] }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** The owner who shared it (null for the owner's own claim). */
    grantedBy: text("granted_by"),
  },
  (t) => [
    primaryKey({ columns: [t.serial, t.userId] }),
    // A camera can be claimed once: one owner row per serial, enforced by the database.
    uniqueIndex("device_access_one_owner").on(t.serial).where(sql`role = 'owner'`),
    index("device_access_user_idx").on(t.userId),
  ],
);

/** Security-relevant events: sign-ins, claims, shares, revocations. Append-only. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    kind: text("kind").notNull(),
    actorUserId: text("actor_user_id"),
    serial: text("serial"),
    subjectUserId: text("subject_user_id"),
    /** Small JSON object with event-specific fields (never secrets). */
    detail: text("detail"),
  },
  (t) => [index("audit_events_serial_at_idx").on(t.serial, t.at), index("audit_events_actor_at_idx").on(t.actorUserId, t.at)],
);

/** One row per viewer session: who watched which camera, when, how long, over which path. */
export const viewerSessions = sqliteTable(
  "viewer_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    serial: text("serial").notNull(),
    /** Null when watched with the access code (owner allowed code viewing). */
    userId: text("user_id"),
    role: text("role", { enum: SESSION_ROLES }).notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    durationMs: integer("duration_ms"),
    /** lan | p2p | relay, as the viewer classified the selected ICE pair. */
    path: text("path"),
    endReason: text("end_reason"),
  },
  (t) => [index("viewer_sessions_serial_started_idx").on(t.serial, t.startedAt)],
);

/**
 * One row per viewer session's own report (protocol/session-report.ts): how far it got, over
 * which path, how fast, and why it failed. Keyed by the session like viewer_sessions, but kept
 * apart: a session that failed before the hub ever saw it (no viewer_sessions row) still
 * reports. Flat, low-cardinality columns so an hourly roll-up can GROUP BY them (issue 15).
 */
export const sessionReports = sqliteTable(
  "session_reports",
  {
    sessionId: text("session_id").primaryKey(),
    serial: text("serial").notNull(),
    userId: text("user_id"),
    role: text("role", { enum: SESSION_ROLES }).notNull(),
    /** When the edge stored the report (its clock): the hour a roll-up counts it in. */
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    /** receivedAt − durationMs: when Connect was pressed, on the edge's clock. */
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    /** 0: sent as the tab went to the background; a final report may replace it once. */
    final: integer("final", { mode: "boolean" }).notNull(),
    outcome: text("outcome", { enum: SESSION_OUTCOMES }).notNull(),
    stage: text("stage", { enum: REPORT_STAGES }).notNull(),
    cause: text("cause"),
    path: text("path", { enum: ["lan", "p2p", "relay"] }),
    firstPath: text("first_path", { enum: ["lan", "p2p", "relay"] }),
    pathChanges: integer("path_changes").notNull(),
    iceRestarts: integer("ice_restarts").notNull(),
    relayTransport: text("relay_transport", { enum: RELAY_TRANSPORTS }),
    forcedRelay: integer("forced_relay", { mode: "boolean" }).notNull(),
    signalingMs: integer("signaling_ms"),
    iceMs: integer("ice_ms"),
    dtlsMs: integer("dtls_ms"),
    firstFrameMs: integer("first_frame_ms"),
    ttffMs: integer("ttff_ms"),
    durationMs: integer("duration_ms").notNull(),
    browser: text("browser", { enum: BROWSER_FAMILIES }).notNull(),
    /** The camera's NAT type as the edge knew it (devices.nat_status), not as the viewer claimed. */
    cameraNatType: text("camera_nat_type", { enum: NAT_TYPE_NAMES }),
    viewerNatType: text("viewer_nat_type", { enum: NAT_TYPE_NAMES }),
    /** predictPath() of both sides at report time (protocol/path-prediction.ts). */
    predictedPath: text("predicted_path", { enum: PREDICTED_PATHS }).notNull(),
    predictionReason: text("prediction_reason", { enum: PREDICTION_REASONS }).notNull(),
    /** The edge location that took the report (request.cf.colo), for per-region figures. */
    colo: text("colo"),
    /** The TURN region the edge would hand this viewer first (turn/regions.ts pickRegions on request.cf); null without TURN. */
    turnRegion: text("turn_region"),
  },
  (t) => [index("session_reports_serial_started_idx").on(t.serial, t.startedAt), index("session_reports_received_idx").on(t.receivedAt)],
);

export type VendorRow = typeof vendors.$inferSelect;
export type VendorKeyRow = typeof vendorKeys.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type DeviceAccessRow = typeof deviceAccess.$inferSelect;
export type ViewerSessionRow = typeof viewerSessions.$inferSelect;
export type DeviceRow = typeof devices.$inferSelect;
export type SessionReportRow = typeof sessionReports.$inferSelect;

/**
 * One row per device WebSocket connection: when it opened, from which network (a keyed hash,
 * never the address), and how and when it ended. The owner's camera page explains an offline
 * camera from the newest rows; only the last DEVICE_CONNECTIONS_KEPT per camera are kept.
 */
export const deviceConnections = sqliteTable(
  "device_connections",
  {
    /** The hub's connection id (random, per socket). */
    id: text("id").primaryKey(),
    serial: text("serial").notNull(),
    connectedAt: integer("connected_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    /** The last frame or ping the edge saw. */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    /** Null while the connection is open. */
    reason: text("reason", { enum: CONNECTION_END_REASONS }),
    closeCode: integer("close_code"),
    /** HMAC of the camera's public address or IPv6 /64 (worker/src/net/network-tag.ts). */
    networkTag: text("network_tag"),
  },
  (t) => [index("device_connections_serial_connected_idx").on(t.serial, t.connectedAt)],
);
export type DeviceConnectionRow = typeof deviceConnections.$inferSelect;

/**
 * A browser's Web Push subscription (RFC 8030 endpoint, RFC 8291 keys) for a signed-in account,
 * with that browser's quiet hours in its own time zone. Deleted when the push service answers
 * 404/410 (the browser unsubscribed or the subscription expired).
 */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** https URL of the push service (≤ PUSH_ENDPOINT_MAX); one browser's, so unique. */
    endpoint: text("endpoint").notNull().unique(),
    /** The browser's P-256 public key (65 bytes, base64url). */
    p256dh: text("p256dh").notNull(),
    /** The browser's 16-byte auth secret (base64url). */
    auth: text("auth").notNull(),
    /** IANA time zone the quiet hours are in. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** Quiet hours as minutes after local midnight; both null: none. start > end spans midnight. */
    quietStart: integer("quiet_start"),
    quietEnd: integer("quiet_end"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** When the edge last sent to it (the per-subscription rate limit). */
    lastSentAt: integer("last_sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("push_subscriptions_user_idx").on(t.userId)],
);
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

/** Cameras an account wants notifications for (a row: on). Only counts while it has a role on it. */
export const pushCameras = sqliteTable(
  "push_cameras",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    serial: text("serial")
      .notNull()
      .references(() => devices.serial),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.serial] }), index("push_cameras_serial_idx").on(t.serial)],
);

/**
 * The edge's event index (issue 13, item 3): a camera's `event` frames, so a person sees what
 * happened across all their cameras without connecting to each. Names and times only — the
 * pictures stay on the camera. At most EDGE_EVENTS_KEPT_PER_CAMERA per camera, for
 * EDGE_EVENTS_KEPT_DAYS (db/camera-events.ts prunes).
 */
export const cameraEvents = sqliteTable(
  "camera_events",
  {
    serial: text("serial").notNull(),
    /** The camera's own event id (what the PWA asks the camera for over the data channel). */
    id: text("id").notNull(),
    kind: text("kind", { enum: ["motion"] }).notNull(),
    /** Unix ms on the camera's clock (the edge's when the camera's was far ahead). */
    startedAt: integer("started_at").notNull(),
    /** Unix ms on the edge's clock: what the 30 days count from. */
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.serial, t.id] }), index("camera_events_serial_started_idx").on(t.serial, t.startedAt)],
);
export type CameraEventRow = typeof cameraEvents.$inferSelect;

/**
 * Session reports rolled up by the UTC hour of their receivedAt (analytics/session-rollup.ts),
 * one row per combination of the low-cardinality columns. Each hour is recomputed from the raw
 * rows whenever one of its reports is stored or replaced, so an interim report replaced by the
 * final one never counts twice; the roll-up outlives the raw rows (analytics/retention.ts).
 * ttff_le_*: the time-to-first-frame histogram (protocol/ops.ts OPS_TTFF_EDGES_MS), inf = above the last edge.
 */
export const sessionHourly = sqliteTable(
  "session_hourly",
  {
    hour: integer("hour").notNull(),
    outcome: text("outcome", { enum: SESSION_OUTCOMES }).notNull(),
    stage: text("stage", { enum: REPORT_STAGES }).notNull(),
    cause: text("cause"),
    path: text("path", { enum: ["lan", "p2p", "relay"] }),
    relayTransport: text("relay_transport", { enum: RELAY_TRANSPORTS }),
    browser: text("browser", { enum: BROWSER_FAMILIES }).notNull(),
    cameraNatType: text("camera_nat_type", { enum: NAT_TYPE_NAMES }),
    viewerNatType: text("viewer_nat_type", { enum: NAT_TYPE_NAMES }),
    turnRegion: text("turn_region"),
    colo: text("colo"),
    count: integer("count").notNull(),
    ttffCount: integer("ttff_count").notNull(),
    ttffSumMs: integer("ttff_sum_ms").notNull(),
    ttffLe250: integer("ttff_le_250").notNull(),
    ttffLe500: integer("ttff_le_500").notNull(),
    ttffLe1000: integer("ttff_le_1000").notNull(),
    ttffLe2000: integer("ttff_le_2000").notNull(),
    ttffLe4000: integer("ttff_le_4000").notNull(),
    ttffLe8000: integer("ttff_le_8000").notNull(),
    ttffInf: integer("ttff_inf").notNull(),
  },
  (t) => [index("session_hourly_hour_idx").on(t.hour)],
);

/** Per camera and hour: sessions reported, relayed (ended on relay), failed (no picture, an error). Recomputed with session_hourly. */
export const cameraHourly = sqliteTable(
  "camera_hourly",
  {
    hour: integer("hour").notNull(),
    serial: text("serial").notNull(),
    total: integer("total").notNull(),
    relayed: integer("relayed").notNull(),
    failed: integer("failed").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.serial] })],
);

/**
 * What only the edge saw, counted as it happens (the raw rows do not last: device_connections
 * keeps ten per camera): kind "refused" keyed by the error code a viewer was turned away with,
 * kind "device_end" keyed by a device connection's end reason.
 */
export const edgeHourly = sqliteTable(
  "edge_hourly",
  {
    hour: integer("hour").notNull(),
    kind: text("kind", { enum: ["refused", "device_end"] }).notNull(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.kind, t.key] })],
);
