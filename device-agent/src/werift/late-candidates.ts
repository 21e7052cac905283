// Why: werift 0.25 pairs a local candidate with the remote ones only when it is a host candidate
// (getCandidatePromises calls pairLocalProtocol for host sockets); a relay candidate allocated
// after the viewer's candidates arrived was never paired, so the camera never sent a check
// from its relay, coturn never got a permission for the viewer (RFC 8656 §9), and the viewer's
// checks to that relay were dropped: a camera behind a UDP-blocking firewall never connected
// (issue 10). RFC 8445 §6.1.2.4: a candidate gathered later is paired with every remote
// candidate like the first ones. And werift's check pacing (one check per Ta, RFC 8445 §6.1.4.2)
// runs in connect() only until nothing is waiting; pairs formed after that would sit in the
// check list unchecked, so the pacing loop is started again for them.
import { Connection } from "werift";

/** Ta: the pacing interval between ordinary checks (RFC 8445 §14.2), as werift uses. */
const TA_MS = 20;

interface ConnectionInternals {
  state: string;
  nominated: unknown;
  earlyChecksDone: boolean;
  checkList: unknown[];
  pairLocalProtocol(protocol: unknown): void;
  sortCheckList(): void;
  schedulingChecks(): boolean;
}

const MARK = Symbol.for("porthole.late-candidates");
/** Connections whose check pacing loop (werift's in connect(), or ours) is running. */
const pacing = new WeakSet<object>();

export function installLateCandidatePairing(): void {
  const proto = Connection.prototype as unknown as ConnectionInternals & { [MARK]?: true };
  if (proto[MARK]) return;
  if (typeof proto.pairLocalProtocol !== "function" || typeof proto.sortCheckList !== "function" || typeof proto.schedulingChecks !== "function") {
    throw new Error("werift internals changed: review device-agent/src/werift/late-candidates.ts");
  }
  // werift's loop in connect() calls schedulingChecks every Ta and stops when it returns false:
  // remember whether a loop is still running.
  const schedulingChecks = proto.schedulingChecks;
  proto.schedulingChecks = function (this: ConnectionInternals) {
    const more = schedulingChecks.call(this);
    if (more) pacing.add(this);
    else pacing.delete(this);
    return more;
  };
  proto[MARK] = true;
}

/**
 * Pairs a local candidate's socket (`protocol`) gathered after the remote candidates with each
 * of them, and makes sure the new pairs get checked: connect() has formed its check list
 * already, and its pacing loop may have ended. Returns how many pairs were added.
 */
export function pairLateLocalCandidate(connection: unknown, protocol: unknown): number {
  const c = connection as ConnectionInternals;
  if (c.state === "closed" || c.state === "failed") return 0;
  const before = c.checkList.length;
  c.pairLocalProtocol(protocol);
  const added = c.checkList.length - before;
  if (added === 0) return 0;
  c.sortCheckList();
  // Before connect() ran (no remote credentials yet) it forms and paces the list itself; once a
  // pair is nominated ICE is concluded for this generation (werift-shims.ts).
  if (c.earlyChecksDone && !c.nominated && !pacing.has(c)) void pace(c);
  return added;
}

async function pace(c: ConnectionInternals): Promise<void> {
  pacing.add(c);
  // Bounded: schedulingChecks returns false once no pair is waiting or frozen (and the peer has
  // said end-of-candidates), or once a pair is nominated; every check it starts ends in ≤ 1.6 s.
  while (c.state !== "closed" && c.schedulingChecks()) {
    await new Promise((r) => setTimeout(r, TA_MS));
  }
}
