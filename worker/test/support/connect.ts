// Why: opening the device and viewer sockets through the real routes (auth in the worker, then
// the DeviceHub), the way the agent and the PWA do.
import { expect } from "vitest";
import { PROTOCOL_VERSION, type CreateSessionResponse } from "../../../protocol/index.ts";
import { call, postJson } from "./http.ts";
import type { TestDevice } from "./provision.ts";
import { TestSocket } from "./test-socket.ts";

export const DEVICE_HELLO = {
  type: "hello",
  v: PROTOCOL_VERSION,
  agent: { version: "0.0.0-test", source: "worker-test", videoCodecs: ["H264", "VP8"], audio: false },
} as const;

export const VIEWER_HELLO = { type: "hello", v: PROTOCOL_VERSION, client: "worker-test" } as const;

/** The raw upgrade response of /ws/device/:serial (refusals are plain HTTP). */
export function deviceUpgrade(serial: string, token?: string): Promise<Response> {
  const headers: Record<string, string> = { upgrade: "websocket" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return call(`/ws/device/${serial}`, { headers });
}

/** Connects the camera and completes hello → welcome. */
export async function connectDevice(device: TestDevice): Promise<TestSocket> {
  const res = await deviceUpgrade(device.serial, device.token);
  expect(res.status, res.status === 101 ? "" : await res.text()).toBe(101);
  const socket = TestSocket.from(res);
  socket.send(DEVICE_HELLO);
  await socket.expectMessage("welcome");
  return socket;
}

/** POST /api/sessions: the response, unparsed. */
export function requestSession(serial: string, accessCode: string, clientIp = "203.0.113.1"): Promise<Response> {
  return postJson("/api/sessions", { serial, accessCode }, { headers: { "cf-connecting-ip": clientIp } });
}

export async function ticketFor(device: TestDevice): Promise<CreateSessionResponse> {
  const res = await requestSession(device.serial, device.accessCode);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CreateSessionResponse;
}

/** Opens /ws/view/:serial?ticket=… (refusals arrive inside an accepted socket). */
export async function openViewer(serial: string, ticket: string): Promise<TestSocket> {
  return TestSocket.from(await call(`/ws/view/${serial}?ticket=${encodeURIComponent(ticket)}`, { headers: { upgrade: "websocket" } }));
}

export interface ViewerSession {
  viewer: TestSocket;
  sessionId: string;
}

/**
 * Gets a ticket, opens the viewer socket, says hello and checks both sides: the viewer's
 * welcome and the device's session-start for the same session id.
 */
export async function startViewer(device: TestDevice, deviceSocket: TestSocket): Promise<ViewerSession> {
  const { ticket, sessionId, wsPath } = await ticketFor(device);
  const viewer = await openViewer(device.serial, ticket);
  expect(wsPath).toBe(`/ws/view/${device.serial}`);
  viewer.send(VIEWER_HELLO);
  const welcome = await viewer.expectMessage("welcome");
  expect(welcome.sessionId).toBe(sessionId);
  const start = await deviceSocket.expectMessage("session-start");
  expect(start.sessionId).toBe(sessionId);
  return { viewer, sessionId };
}
