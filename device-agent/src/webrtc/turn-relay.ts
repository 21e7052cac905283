// Why: two werift 0.25 TURN gaps (stack notes). (1) With bad or expired credentials it gathers
// silently for ~13 s and yields no relay candidate and no error, so we time relay gathering and
// log what happened. (2) close() drops the socket but never releases the allocation, so coturn
// keeps the relay port (and counts it against the user quota) for up to 600 s. RFC 8656 §7: a
// Refresh with LIFETIME 0 deletes the allocation at once; we send it before closing.
import { classes, Message, methods, StunOverTurnProtocol, type RTCPeerConnection } from "werift";
import type { IceServer } from "../../../protocol/index.ts";
import type { Logger } from "../log.ts";

/** The first turn:/turns: URL werift will use (it takes only the first one it finds). */
export function firstTurnUrl(servers: readonly IceServer[]): string | undefined {
  for (const s of servers) {
    for (const url of Array.isArray(s.urls) ? s.urls : [s.urls]) {
      if (/^turns?:/i.test(url) && s.username && s.credential) return url;
    }
  }
  return undefined;
}

/**
 * Logs when the relay candidate arrives (debug), or warns once (`session_error`) if none has
 * after `timeoutMs`: the TURN server is unreachable or refused the credential. The session
 * carries on with host/srflx candidates either way. `onOutcome` tells the agent's TURN health
 * (turn-choice.ts) whether this URL allocated: false at the warning, true whenever a relay
 * candidate arrives (also after the warning).
 */
export function watchRelayGathering(
  pc: RTCPeerConnection,
  o: { iceServers: readonly IceServer[]; sessionId: string; logger: Logger; timeoutMs?: number; onOutcome?: (url: string, ok: boolean) => void },
): () => void {
  const url = firstTurnUrl(o.iceServers);
  if (!url) return () => {};
  const t0 = performance.now();
  let relayed = false;
  const timer = setTimeout(() => {
    o.logger.warn({
      event: "session_error",
      sessionId: o.sessionId,
      message: `no relay candidate from ${url} after ${Math.round(performance.now() - t0)} ms: TURN server unreachable, or it refused the credential (expired, wrong secret)`,
    });
    o.onOutcome?.(url, false);
  }, o.timeoutMs ?? 5_000);
  // Still listening after the warning: werift falls back from UDP to TCP by itself, which can
  // take longer, and a relay that does arrive means the endpoint works after all.
  const sub = pc.onIceCandidate.subscribe((c) => {
    if (relayed || !c || !/ typ relay/.test(c.candidate)) return;
    relayed = true;
    clearTimeout(timer);
    o.logger.debug({ event: "session_state", sessionId: o.sessionId, state: `relay-candidate ${Math.round(performance.now() - t0)}ms` });
    o.onOutcome?.(url, true);
  });
  return () => {
    clearTimeout(timer);
    sub.unSubscribe();
  };
}

interface TurnInternals {
  turn: { server: unknown; integrityKey?: Buffer; request(msg: Message, addr: unknown): Promise<unknown> };
}

/** werift's live TURN clients of a peer connection (internal: ICE Connection.protocols). */
function turnClients(pc: RTCPeerConnection): TurnInternals["turn"][] {
  const out: TurnInternals["turn"][] = [];
  for (const transport of pc.iceTransports) {
    const protocols = (transport.connection as unknown as { protocols?: unknown[] }).protocols ?? [];
    for (const p of protocols) {
      if (p instanceof StunOverTurnProtocol) out.push((p as unknown as TurnInternals).turn);
    }
  }
  return out;
}

/**
 * Sends Refresh(LIFETIME=0) for every TURN allocation of `pc` and waits at most `timeoutMs`.
 * Call before pc.close(). Returns how many allocations the server confirmed released.
 */
export async function releaseTurnAllocations(pc: RTCPeerConnection, timeoutMs = 1_000): Promise<number> {
  const clients = turnClients(pc).filter((t) => t.integrityKey);
  const results = await Promise.all(
    clients.map(async (turn) => {
      const request = new Message(methods.REFRESH, classes.REQUEST);
      request.setAttribute("LIFETIME", 0);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          turn.request(request, turn.server),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs))),
        ]);
        return 1;
      } catch {
        return 0; // Unreachable or already gone: coturn expires it on its own.
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.reduce<number>((a, b) => a + b, 0);
}
