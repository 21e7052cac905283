// Why: werift sends every datagram with `socket.send(data, port, host)` on an unconnected socket,
// and Node resolves `host` through the socket's lookup (dns.lookup) on every call, even for an
// IP literal: a process.nextTick, an async-hooks scope and a closure per packet per viewer
// before the actual sendmsg (bench:agent's profile: with the send itself, ~40 % of the agent's
// busy time). A connected socket would skip the lookup, but ICE needs one socket to talk to
// many addresses (checks, consent, a path move, RFC 8445 §7.2). So werift's UDP sockets get a
// lookup that answers IP literals in a microtask (what dns.lookup answers for them, without its
// nextTick and async-hooks scope) and hands hostnames (a TURN URL) to dns.lookup as before. Still
// asynchronous, as a lookup callback must be: answering synchronously moved the first send of a
// connectivity check ahead of werift's own bookkeeping in the same tick and made its
// retransmission timing less regular in ice-check-retransmit.test.ts.
import { createSocket, type Socket, type SocketType } from "node:dgram";
import { lookup as dnsLookup, type LookupOneOptions } from "node:dns";
import { isIP } from "node:net";
import { UdpTransport } from "werift";

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram's lookup hook: IP literals answered in a microtask, anything else by dns.lookup. dgram calls it
 * as lookup(address, family, callback) (Node lib/internal/dgram.js lookup4/lookup6).
 */
export function ipLiteralLookup(address: string, family: number | LookupOneOptions, callback: LookupCallback): void {
  const literal = isIP(address);
  if (literal !== 0) return queueMicrotask(() => callback(null, address, literal));
  dnsLookup(address, family as LookupOneOptions, callback as never);
}

interface UdpTransportInternals {
  socketType: SocketType;
  socket: Socket;
  init(): Promise<void>;
}

const MARK = Symbol.for("porthole.udp-send");

export function installUdpSend(): void {
  const proto = UdpTransport.prototype as unknown as UdpTransportInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.init !== "function") throw new Error("werift internals changed (UdpTransport.init): review device-agent/src/werift/udp-send.ts");
  const init = proto.init;
  // werift's constructor made `this.socket` (createSocket(type), not bound yet) and put its
  // "message" handler on it; init() binds it. Swap in a socket with our lookup before that.
  proto.init = function (this: UdpTransportInternals) {
    const made = this.socket;
    // Only once bound: bind() resolves its address through the same hook and emits "listening"
    // from the callback, which werift awaits only after bind() returns.
    let bound = false;
    const lookup = (address: string, family: number, callback: LookupCallback): void => {
      if (bound) return ipLiteralLookup(address, family, callback);
      dnsLookup(address, family as never, callback as never);
    };
    const socket = createSocket({ type: this.socketType, lookup: lookup as never });
    socket.once("listening", () => (bound = true));
    for (const listener of made.listeners("message")) socket.on("message", listener as (...args: unknown[]) => void);
    made.close();
    this.socket = socket;
    return init.call(this);
  };
  proto[MARK] = true;
}
