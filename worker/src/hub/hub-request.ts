// Why: the worker authenticates, then hands the upgrade to the serial's DeviceHub. These
// headers carry what it verified; the hub is reachable only through the worker, so they are
// trusted there and built fresh here (never copied from the client's request).

export const HUB_HEADERS = {
  serial: "x-porthole-serial",
  sessionId: "x-porthole-session",
  ticketExpiresAt: "x-porthole-ticket-exp",
} as const;

export function deviceUpgradeRequest(serial: string): Request {
  return new Request("https://hub.internal/device", {
    headers: { upgrade: "websocket", [HUB_HEADERS.serial]: serial },
  });
}

export function viewerUpgradeRequest(serial: string, sessionId: string, ticketExpiresAt: number): Request {
  return new Request("https://hub.internal/viewer", {
    headers: {
      upgrade: "websocket",
      [HUB_HEADERS.serial]: serial,
      [HUB_HEADERS.sessionId]: sessionId,
      [HUB_HEADERS.ticketExpiresAt]: String(ticketExpiresAt),
    },
  });
}

/** The DeviceHub for one serial (one Durable Object per camera). */
export function hubFor(env: Env, serial: string) {
  return env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(serial));
}
