// Why: browsers cannot read the body of a refused WebSocket upgrade (only "1006"), so a viewer
// whose ticket or camera is wrong gets an accepted socket carrying `{type:"error"}` and a close
// with the code's close code and reason (RFC 6455 §7.4) — the PWA can then say why.
import { closeReason, ERROR_CODES, type EdgeToViewer, type ErrorCode } from "../../../protocol/index.ts";

export function rejectSocket(code: ErrorCode, detail?: string): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  const message = detail ?? ERROR_CODES[code].message;
  server.send(JSON.stringify({ type: "error", code, message: message.slice(0, 500) } satisfies EdgeToViewer));
  server.close(ERROR_CODES[code].close, closeReason(code));
  return new Response(null, { status: 101, webSocket: client });
}

export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}
