// Why: werift 0.25's close() drops a TURN socket but never releases the allocation, so coturn
// keeps the relay port (and counts it against the user quota) for up to 600 s (stack notes).
// RFC 8656 §7: a Refresh with LIFETIME 0 deletes the allocation at once; we send it before
// closing. (Timing and logging of relay gathering live in relay-gathering.ts.)
import { classes, Message, methods, StunOverTurnProtocol, type RTCPeerConnection } from "werift";

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
  const results = await Promise.all(turnClients(pc).map((turn) => releaseTurn(turn, timeoutMs)));
  return results.reduce<number>((a, b) => a + b, 0);
}

/** Releases one StunOverTurnProtocol's allocation (Refresh, LIFETIME 0); 1 if the server confirmed. */
export function releaseAllocation(protocol: StunOverTurnProtocol, timeoutMs = 1_000): Promise<number> {
  return releaseTurn((protocol as unknown as TurnInternals).turn, timeoutMs);
}

async function releaseTurn(turn: TurnInternals["turn"], timeoutMs: number): Promise<number> {
  if (!turn.integrityKey) return 0;
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
}
