// Why: the hub drops a viewer that stays silent for 15 s, so a vanished phone frees its camera
// slot within seconds. We send the text frame "ping" every 5 s; workerd answers "pong" itself
// (WebSocket auto-response) without waking the Durable Object, and that reply is not JSON.

export const SIGNALING_PING_MS = 5_000;
export const PING_FRAME = "ping";
export const PONG_FRAME = "pong";

/** The subset of a WebSocket the keepalive needs. */
export interface PingSocket {
  readonly readyState: number;
  send(data: string): void;
}

/** The edge's keepalive answer, which the JSON parser must not see. */
export function isPong(raw: unknown): boolean {
  return raw === PONG_FRAME;
}

/** Pings while the socket is open (WebSocket.OPEN = 1); returns a stop function. */
export function startKeepalive(ws: PingSocket, intervalMs = SIGNALING_PING_MS): () => void {
  const timer = setInterval(() => {
    if (ws.readyState === 1) ws.send(PING_FRAME);
  }, intervalMs);
  return () => clearInterval(timer);
}
