// Why: a check from the camera towards the viewer's NAT is usually dropped until the viewer has
// sent through that NAT itself; werift then retransmits that check on its backoff (50, 100, 200,
// 400 ms … after the last send). When the viewer's own check arrives on the same pair, RFC 8445
// §7.3.1.4 says the In-Progress check is replaced by a triggered check sent at once — the way is
// open now. werift starts a triggered check only for Waiting or Failed pairs, so an In-Progress
// pair waited out its backoff: up to several hundred ms of ICE, more at longer RTTs (the NAT lab
// saw a punchable pair held onto the relay by it, issue 12 item 3). The patch sends the pending
// transaction's request again at once and restarts its backoff at werift's RTO (50 ms): the same
// Binding request, so its response completes the check werift is waiting for. At most once per
// Ta (RFC 8445 §14.2, 20 ms here as in werift's pacing) per transaction, so a chatty peer
// cannot make the camera flood.
import { Connection } from "werift";

// werift internals (0.25, lib/index.mjs: Connection.checkIncoming, Transaction, StunProtocol).
const IN_PROGRESS = 2;
const TA_MS = 20;
/** werift's first retransmission timeout (RETRY_RTO); halved here because its loop doubles first. */
const RESTART_DELAY_MS = 25;

interface Transaction {
  ended: boolean;
  addr: [string, number];
  request: { messageMethod: number; messageClass: number };
  timeoutDelay: number;
  triesMax: number;
  waitTimer?: unknown;
  clearWait(): void;
}
interface Protocol {
  transactions?: Record<string, Transaction>;
  turn?: { transactions?: Record<string, Transaction> };
}
interface Pair {
  state: number;
  protocol: Protocol;
  remoteAddr: [string, number];
}
interface ConnectionInternals {
  checkList: Pair[];
  checkIncoming(message: unknown, addr: [string, number], protocol: Protocol): void;
}

const MARK = Symbol.for("porthole.triggered-check");
const lastTrigger = new WeakMap<Transaction, number>();

/** The pair's Binding request still waiting for its response, if any. */
export function pendingCheckOf(pair: Pair): Transaction | undefined {
  const table = pair.protocol.transactions ?? pair.protocol.turn?.transactions ?? {};
  return Object.values(table).find(
    (t) => !t.ended && t.waitTimer !== undefined && t.request.messageMethod === 1 && t.request.messageClass === 0 && t.addr[0] === pair.remoteAddr[0] && t.addr[1] === pair.remoteAddr[1],
  );
}

/** Sends the transaction's request now and restarts its backoff (true if it did). */
export function retransmitNow(t: Transaction, now: number = performance.now()): boolean {
  const last = lastTrigger.get(t);
  if (last !== undefined && now - last < TA_MS) return false;
  lastTrigger.set(t, now);
  // werift's retry loop: the wait ends, the delay doubles (to the RTO), the request goes out.
  t.timeoutDelay = RESTART_DELAY_MS;
  // Not counted against the check's retransmission budget.
  t.triesMax += 1;
  t.clearWait();
  return true;
}

export function installTriggeredCheck(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.checkIncoming !== "function") throw new Error("werift internals changed (checkIncoming): review device-agent/src/werift/triggered-check.ts");
  const checkIncoming = proto.checkIncoming;
  proto.checkIncoming = function (this: ConnectionInternals, message: unknown, addr: [string, number], protocol: Protocol) {
    const pair = this.checkList.find((p) => p.protocol === protocol && p.remoteAddr[0] === addr[0] && p.remoteAddr[1] === addr[1]);
    const wasInProgress = pair?.state === IN_PROGRESS;
    checkIncoming.call(this, message, addr, protocol);
    if (!pair || !wasInProgress || pair.state !== IN_PROGRESS) return;
    const pending = pendingCheckOf(pair);
    if (pending) retransmitNow(pending);
  };
  proto[MARK] = true;
}
