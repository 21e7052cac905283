// Why: signaling runs over a WebSocket, and some networks (corporate proxies, captive portals)
// pass HTTPS but strip or block the upgrade. Two probes that need no secret and disturb nothing:
// the device socket's URL without a token must be refused by the edge itself (401
// `unauthorized`; a proxy that dropped the Upgrade header makes the edge answer 400 instead), and
// the viewer socket's URL without a ticket is accepted by the edge and closed with 4401
// (`ticket_invalid`: browsers cannot read refused upgrades, so the edge refuses inside the
// socket), which proves a full WebSocket upgrade works on this path. Opening the device socket
// with the real token would replace the camera's running agent.
import { describeNetError, type NetError } from "./net-error.ts";
import { check, type CheckResult } from "./types.ts";

export type WsProbe =
  | { kind: "http"; status: number; code: string | undefined }
  | { kind: "opened"; closeCode: number | undefined; reason: string }
  | { kind: "error"; error: NetError };

/** 4401 is `ticket_invalid` / `unauthorized` (protocol/errors.ts). */
const CLOSE_UNAUTHORIZED = 4401;

export function evaluateEdgeWebSocket(probes: { device: WsProbe; viewer: WsProbe }, timeoutMs: number): CheckResult {
  const { device, viewer } = probes;
  const blocked = (what: string): CheckResult =>
    check("edge_websocket", "fail", "websocket_blocked", `HTTPS reaches the edge but ${what}.`,
      "A proxy or firewall on this network blocks WebSocket upgrades. Let the camera reach the edge directly (no HTTP proxy), or allow WebSocket (Upgrade) traffic to the edge's host.",
      { device: describe(device, timeoutMs), viewer: describe(viewer, timeoutMs) });
  if (device.kind === "error") return blocked(`the device socket could not be opened: ${describeNetError(device.error, timeoutMs)}`);
  if (device.kind === "http" && device.status === 400) return blocked("the WebSocket upgrade header did not reach it (it answered 400: expected a WebSocket upgrade)");
  if (device.kind === "http" && !(device.status === 401 && device.code === "unauthorized")) return blocked(`the device socket URL answered HTTP ${device.status}${device.code ? ` (${device.code})` : ""} instead of the edge's 401`);
  if (viewer.kind === "error") return blocked(`a WebSocket could not be opened: ${describeNetError(viewer.error, timeoutMs)}`);
  if (viewer.kind === "http") return blocked(`the WebSocket upgrade was answered with HTTP ${viewer.status} instead of being accepted`);
  if (viewer.closeCode !== CLOSE_UNAUTHORIZED) return blocked(`the WebSocket closed with ${viewer.closeCode ?? "no code"} instead of the edge's 4401`);
  return check("edge_websocket", "pass", "ok", "WebSocket upgrades reach the edge (it refused the probes without credentials, as it should).");
}

function describe(p: WsProbe, timeoutMs: number): string {
  if (p.kind === "error") return describeNetError(p.error, timeoutMs);
  if (p.kind === "http") return `HTTP ${p.status}${p.code ? ` ${p.code}` : ""}`;
  return `opened, closed ${p.closeCode ?? "-"}`;
}
