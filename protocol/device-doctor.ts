// Why: `porthole-agent doctor` asks the edge, with the device token, what only the edge knows:
// whether it accepts this token now (revoked, superseded, unknown key), its clock, and the
// STUN/TURN servers (with short-lived TURN credentials) a session would get. It is a separate
// HTTP route so the doctor never opens the device socket, which would replace a running agent.
import { z } from "zod";
import { IceServerSchema, SerialSchema } from "./ice.ts";

/** POST /api/devices/:serial/doctor (Authorization: Bearer <device token>), no body. */
export const DEVICE_DOCTOR_PATH = (serial: string): string => `/api/devices/${encodeURIComponent(serial)}/doctor`;

/** Lifetime of the TURN credentials the doctor gets: long enough for its checks only. */
export const DEVICE_DOCTOR_TURN_TTL_SECONDS = 120;

export const DeviceDoctorResponseSchema = z.object({
  serial: SerialSchema,
  /** The edge's clock (ISO 8601 with milliseconds) when it answered. */
  serverTime: z.string(),
  /** What a session would hand this camera: TURN regions nearest first, then ICE_SERVERS. */
  iceServers: z.array(IceServerSchema).max(8),
  /** False when the edge has no TURN_SECRET / TURN_REGIONS: relays are off for everyone. */
  turnConfigured: z.boolean(),
});
export type DeviceDoctorResponse = z.infer<typeof DeviceDoctorResponseSchema>;

/** POST /api/devices/:serial/doctor/report (device token): the doctor's result, for the owner's page. */
export const DEVICE_DOCTOR_REPORT_PATH = (serial: string): string => `${DEVICE_DOCTOR_PATH(serial)}/report`;

export const DOCTOR_CHECK_STATUSES = ["pass", "warn", "fail", "skip"] as const;

/**
 * One check as uploaded: its stable id, verdict, name and one-line finding. The agent scrubs
 * secrets before sending (the token, TURN credentials and username never leave the camera);
 * the caps keep one upload under 16 KiB.
 */
export const DoctorReportCheckSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  status: z.enum(DOCTOR_CHECK_STATUSES),
  title: z.string().min(1).max(40),
  summary: z.string().max(300),
});
export type DoctorReportCheck = z.infer<typeof DoctorReportCheckSchema>;

export const DoctorReportUploadSchema = z.strictObject({
  checks: z.array(DoctorReportCheckSchema).min(1).max(24),
});
export type DoctorReportUpload = z.infer<typeof DoctorReportUploadSchema>;
