// Why: the edge's push notification calls (protocol/push.ts): the VAPID key the browser
// subscribes with, this browser's subscription and quiet hours, and the per-camera switch.
import { z } from "zod";
import { PushCameraSettingSchema, type PushCameraSetting, type PushSubscribeRequest } from "../../../protocol/push.ts";
import { request, type ApiResult } from "./api.ts";

const VapidKeySchema = z.object({ publicKey: z.string().min(80).max(100) });
const Anything = z.unknown().transform(() => undefined);
const jsonInit = (method: "POST" | "PUT" | "DELETE", body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const cameraPath = (serial: string) => `/api/push/cameras/${encodeURIComponent(serial)}`;

export const getVapidKey = (): Promise<ApiResult<{ publicKey: string }>> => request(VapidKeySchema, "/api/push/vapid-key", { method: "GET" });

export const saveSubscription = (body: PushSubscribeRequest): Promise<ApiResult<undefined>> => request(Anything, "/api/push/subscriptions", jsonInit("POST", body));

export const getCameraPush = (serial: string, signal?: AbortSignal): Promise<ApiResult<PushCameraSetting>> =>
  request(PushCameraSettingSchema, cameraPath(serial), { method: "GET", ...(signal ? { signal } : {}) });

export const setCameraPush = (serial: string, on: boolean): Promise<ApiResult<PushCameraSetting>> => request(PushCameraSettingSchema, cameraPath(serial), jsonInit("PUT", { on }));

export const deleteSubscription = (endpoint: string): Promise<ApiResult<undefined>> => request(Anything, "/api/push/subscriptions", jsonInit("DELETE", { endpoint }));
