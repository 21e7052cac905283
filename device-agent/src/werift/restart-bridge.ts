// Why: werift's ICE restart forgets the nominated pair at once, and until the new generation
// nominates one it drops every packet the camera sends (canSendApplicationData is false with no
// pair). RFC 8445 §9 says media keeps flowing on the old pair during a restart. It matters twice:
// a restart that moves a relayed session to a direct path (regular-nomination.ts) must not stall
// video — the viewer would take the stall for a broken path and ask for yet another restart —
// and a restart asked for by a viewer whose path is only degraded should not cut what still
// arrives. So the previous pair keeps carrying media until the new one is nominated, for at most
// BRIDGE_MAX_MS (well inside the 30 s consent lifetime the old pair had, RFC 7675 §5.1).
import { Connection } from "werift";

export const BRIDGE_MAX_MS = 10_000;

interface Pair {
  protocol: { sendData(data: Buffer, addr: [string, number]): Promise<void> };
  remoteAddr: [string, number];
  packetsSent: number;
  bytesSent: number;
}
interface ConnectionInternals {
  nominated: Pair | undefined;
  state: string;
  send: (data: Buffer) => Promise<void>;
  restart(): unknown;
}
interface Bridge {
  pair: Pair;
  until: number;
}

const MARK = Symbol.for("porthole.restart-bridge");
const bridges = new WeakMap<object, Bridge>();
const wrapped = new WeakSet<object>();

/** Whether a packet goes out on the bridged pair now: no pair nominated yet, a recent one to use. */
export function bridgePair<P>(nominated: P | undefined, bridge: { pair: P; until: number } | undefined, now: number): P | undefined {
  if (nominated !== undefined || !bridge || now > bridge.until) return undefined;
  return bridge.pair;
}

export function installRestartBridge(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.restart !== "function") throw new Error("werift internals changed: review device-agent/src/werift/restart-bridge.ts");
  const restart = proto.restart;
  proto.restart = function (this: ConnectionInternals) {
    const previous = this.nominated;
    const result = restart.call(this); // clears `nominated` before its first await
    if (previous && typeof this.send === "function") {
      bridges.set(this, { pair: previous, until: performance.now() + BRIDGE_MAX_MS });
      wrapSend(this);
    }
    return result;
  };
  proto[MARK] = true;
}

/** `send` is an instance property in werift (set in the constructor): wrapped per connection. */
function wrapSend(c: ConnectionInternals): void {
  if (wrapped.has(c)) return;
  wrapped.add(c);
  const send = c.send;
  c.send = async (data: Buffer) => {
    const pair = c.state === "closed" ? undefined : bridgePair(c.nominated, bridges.get(c), performance.now());
    if (!pair) return send(data);
    await pair.protocol.sendData(data, pair.remoteAddr);
    pair.packetsSent++;
    pair.bytesSent += data.length;
  };
}
