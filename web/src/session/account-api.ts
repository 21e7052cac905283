// Why: the account, camera and sharing calls of the edge (protocol/accounts.ts), typed end to
// end. The session is an HttpOnly cookie the browser sends by itself; state-changing calls
// carry `content-type: application/json`, which a cross-site form cannot send (CSRF).
import { z } from "zod";
import {
  CameraListSchema,
  CameraSchema,
  MeSchema,
  RotateAccessCodeResponseSchema,
  SessionRecordListSchema,
  ShareListSchema,
  ShareSchema,
  SignOutEverywhereResponseSchema,
  type Camera,
  type ClaimCameraRequest,
  type CreateShareRequest,
  type Credentials,
  type Me,
  type RotateAccessCodeResponse,
  type SessionRecord,
  type Share,
  type SignOutEverywhereResponse,
  type UpdateCameraRequest,
} from "../../../protocol/accounts.ts";
import { request, type ApiResult } from "./api.ts";

/** Answers we read nothing from (logout, release, revoke): any body, or none. */
const Nothing = z.unknown().transform(() => undefined);

function json(method: "POST" | "PATCH" | "DELETE", body?: unknown, signal?: AbortSignal): RequestInit {
  return {
    method,
    headers: { "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(signal ? { signal } : {}),
  };
}

const get = (signal?: AbortSignal): RequestInit => ({ method: "GET", ...(signal ? { signal } : {}) });
const cam = (serial: string) => `/api/cameras/${encodeURIComponent(serial)}`;

export const signUp = (c: Credentials): Promise<ApiResult<Me>> => request(MeSchema, "/api/auth/signup", json("POST", c));
export const signIn = (c: Credentials): Promise<ApiResult<Me>> => request(MeSchema, "/api/auth/login", json("POST", c));
export const signOut = (): Promise<ApiResult<undefined>> => request(Nothing, "/api/auth/logout", json("POST", {}));
/** Ends every session of the account, on every device (this one too). */
export const signOutEverywhere = (): Promise<ApiResult<SignOutEverywhereResponse>> =>
  request(SignOutEverywhereResponseSchema, "/api/auth/logout-all", json("POST", {}));
/** The signed-in user, or not_signed_in. */
export const getMe = (signal?: AbortSignal): Promise<ApiResult<Me>> => request(MeSchema, "/api/me", get(signal));

export const listCameras = (signal?: AbortSignal): Promise<ApiResult<Camera[]>> =>
  request(CameraListSchema.transform((l) => l.cameras), "/api/cameras", get(signal));
/** Claim with the label: the caller becomes the owner. */
export const claimCamera = (body: ClaimCameraRequest): Promise<ApiResult<Camera>> => request(CameraSchema, "/api/cameras", json("POST", body));
export const updateCamera = (serial: string, body: UpdateCameraRequest): Promise<ApiResult<Camera>> => request(CameraSchema, cam(serial), json("PATCH", body));
/** Give up ownership; shares end with it. */
export const releaseCamera = (serial: string): Promise<ApiResult<undefined>> => request(Nothing, cam(serial), json("DELETE"));
/** A new label code, shown once; the old one stops working. */
export const rotateAccessCode = (serial: string): Promise<ApiResult<RotateAccessCodeResponse>> =>
  request(RotateAccessCodeResponseSchema, `${cam(serial)}/access-code`, json("POST", {}));

export const listShares = (serial: string, signal?: AbortSignal): Promise<ApiResult<Share[]>> =>
  request(ShareListSchema.transform((l) => l.shares), `${cam(serial)}/shares`, get(signal));
export const createShare = (serial: string, body: CreateShareRequest): Promise<ApiResult<Share>> => request(ShareSchema, `${cam(serial)}/shares`, json("POST", body));
export const revokeShare = (serial: string, userId: string): Promise<ApiResult<undefined>> =>
  request(Nothing, `${cam(serial)}/shares/${encodeURIComponent(userId)}`, json("DELETE"));

export const listSessions = (serial: string, signal?: AbortSignal): Promise<ApiResult<SessionRecord[]>> =>
  request(SessionRecordListSchema.transform((l) => l.sessions), `${cam(serial)}/sessions`, get(signal));
