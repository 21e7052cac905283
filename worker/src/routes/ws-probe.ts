// Why: the connection test must know that WebSockets reach the edge (proxies and filters that pass
// HTTPS can still refuse an upgrade), without opening a real viewer socket — that would need a
// grant and take a slot on a camera. This one answers anyone, holds no state and touches no
// Durable Object: accept, one frame with the edge's clock, close 1000 (RFC 6455 §7.4.1).
import { Hono } from "hono";
import type { WsProbeMessage } from "../../../protocol/index.ts";
import type { AppEnv } from "../app-env.ts";
import { PortholeError } from "../errors.ts";
import { isWebSocketUpgrade } from "../ws/reject-socket.ts";

export const wsProbeRoutes = new Hono<AppEnv>();

wsProbeRoutes.get("/", (c) => {
  if (!isWebSocketUpgrade(c.req.raw)) throw PortholeError.badRequest("expected a WebSocket upgrade");
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  server.send(JSON.stringify({ type: "probe", serverTime: new Date().toISOString() } satisfies WsProbeMessage));
  server.close(1000, "probe_done");
  return new Response(null, { status: 101, webSocket: client });
});
