// Why: ICE servers and trickled candidates cross every boundary (edge→viewer, edge→device,
// viewer↔device via the hub), so their shapes live once here. RFC 8838 (trickle ICE).
import { z } from "zod";

export const IceServerSchema = z.object({
  urls: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).min(1).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

/** RTCIceCandidateInit as JSON. An empty `candidate` string means end-of-candidates. */
export const IceCandidateSchema = z.object({
  candidate: z.string().max(1024),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type IceCandidate = z.infer<typeof IceCandidateSchema>;

export const SdpSchema = z.string().min(1).max(32 * 1024);

export const SessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export type SessionId = z.infer<typeof SessionIdSchema>;

/** Camera serials: letters, digits and dashes, as printed on a label. */
export const SerialSchema = z.string().regex(/^[A-Z0-9][A-Z0-9-]{3,63}$/);
export type Serial = z.infer<typeof SerialSchema>;
