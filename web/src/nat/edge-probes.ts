// Why: before blaming NATs, the test checks the two things every session needs first: that the
// edge answers HTTPS (and how far it is), and that a WebSocket to it opens (some proxies and
// filters pass HTTPS but refuse upgrades).
import { WS_PROBE_PATH, WsProbeMessageSchema } from "../../../protocol/connection-test.ts";
import type { EdgeCheck, WebSocketCheck } from "./test-result.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null;

/** Three small requests to /api/health; the median time is the RTT (the first may include a TLS handshake). */
export async function checkEdge(tries = 3): Promise<EdgeCheck> {
  const times: number[] = [];
  for (let i = 0; i < tries; i++) {
    const t0 = performance.now();
    try {
      const res = await fetch("/api/health", { cache: "no-store", credentials: "omit" });
      await res.text();
      if (!res.ok) return { status: "fail", rttMs: null, detail: `HTTP ${res.status}` };
    } catch {
      return { status: "fail", rttMs: null, detail: "the edge did not answer (network error)" };
    }
    times.push(performance.now() - t0);
  }
  return { status: "pass", rttMs: median(times), detail: null };
}

/** Opens /ws/probe and waits for its one frame and its clean close. */
export function checkWebSocket(pageHref: string, timeoutMs = 5000): Promise<WebSocketCheck> {
  return new Promise((resolve) => {
    const url = new URL(WS_PROBE_PATH, pageHref);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const t0 = performance.now();
    let openMs: number | null = null;
    let ws: WebSocket;
    const done = (c: WebSocketCheck) => {
      clearTimeout(timer);
      resolve(c);
    };
    const timer = setTimeout(() => {
      ws?.close();
      done({ status: "fail", openMs: null, detail: `no answer in ${timeoutMs / 1000} s` });
    }, timeoutMs);
    try {
      ws = new WebSocket(url.toString());
    } catch (err) {
      return done({ status: "fail", openMs: null, detail: String(err) });
    }
    ws.addEventListener("message", (e) => {
      let data: unknown = null;
      try {
        data = JSON.parse(String(e.data));
      } catch {
        /* checked below */
      }
      if (WsProbeMessageSchema.safeParse(data).success) openMs = performance.now() - t0;
    });
    ws.addEventListener("close", (e) => {
      if (openMs !== null && e.code === 1000) done({ status: "pass", openMs, detail: null });
      else done({ status: "fail", openMs: null, detail: `closed with ${e.code}${openMs === null ? " before the probe frame" : ""}` });
    });
  });
}
