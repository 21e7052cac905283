// Why: whether viewers can reach the camera at all comes down to what its network lets out:
// STUN over UDP (direct, P2P), and TURN relays over UDP, TCP and TLS 443 (the fallbacks for
// strict networks). The probes' outcomes are judged together, because one transport's failure
// means different things depending on the others: UDP silent while TCP allocates is "UDP
// blocked, TCP works" (viewers still watch, through the relay), every transport answering 401
// is a TURN secret that differs between the edge and coturn, and nothing answering is a failure.
import type { TurnTransport } from "../webrtc/turn-choice.ts";
import { check, type CheckId, type CheckResult } from "./types.ts";

export type StunOutcome = { ok: true; mapped: string; ms: number } | { ok: false; kind: "timeout" | "error"; detail: string };

export type TurnOutcome =
  | { ok: true; ms: number; relayed: string }
  | { ok: false; kind: "auth" | "refused" | "timeout" | "unreachable"; detail: string; ms: number };

export interface RelayFacts {
  /** False when the edge's answer did not arrive (refused token, unreachable): nothing to probe. */
  haveServers: boolean;
  turnConfigured: boolean;
  stun: { server: string; outcome: StunOutcome } | undefined;
  turn: Partial<Record<TurnTransport, { server: string; outcome: TurnOutcome }>>;
}

const TURN_ID: Record<TurnTransport, CheckId> = { udp: "turn_udp", tcp: "turn_tcp", tls: "turn_tls" };
const LABEL: Record<TurnTransport, string> = { udp: "UDP", tcp: "TCP", tls: "TLS" };

const SECRET_FIX = "Operator: the edge's TURN_SECRET (`wrangler secret put TURN_SECRET`) must equal coturn's static-auth-secret; set the same value in both and restart coturn. Also check that the edge's and the TURN server's clocks agree (credentials carry an expiry).";
const UDP_FIX = "Allow outgoing UDP from the camera on the router or firewall (at least to the TURN server's port 3478, and high ports for direct connections): video then flows directly, with less delay, instead of through the relay.";

export function evaluateRelays(f: RelayFacts): CheckResult[] {
  const transports: TurnTransport[] = ["udp", "tcp", "tls"];
  if (!f.haveServers) {
    const why = "Not run: the edge did not hand out its STUN/TURN servers (see the edge and token checks).";
    return [check("stun_udp", "skip", "skipped", why), ...transports.map((t) => check(TURN_ID[t], "skip", "skipped", why))];
  }
  const offered = transports.filter((t) => f.turn[t]);
  const works = (t: TurnTransport) => f.turn[t]?.outcome.ok === true;
  const streamWorks = works("tcp") || works("tls");
  const anyWorks = streamWorks || works("udp");
  const allAuth = offered.length > 0 && offered.every((t) => {
    const o = f.turn[t]!.outcome;
    return !o.ok && o.kind === "auth";
  });

  const out: CheckResult[] = [];
  // STUN over UDP.
  if (!f.stun) {
    out.push(check("stun_udp", "warn", "stun_not_offered", "The edge hands out no STUN server, so the camera cannot learn its public address: only same-network viewers connect directly.",
      "Operator: add a stun: URL to ICE_SERVERS or TURN_REGIONS on the edge."));
  } else if (f.stun.outcome.ok) {
    out.push(check("stun_udp", "pass", "ok", `${f.stun.server} answers over UDP: public address ${f.stun.outcome.mapped} (${f.stun.outcome.ms} ms).`, undefined, { server: f.stun.server, mapped: f.stun.outcome.mapped, ms: f.stun.outcome.ms }));
  } else if (streamWorks) {
    out.push(check("stun_udp", "warn", "udp_blocked", `UDP blocked, TCP works: no STUN answer from ${f.stun.server} over UDP, but a TURN relay over ${works("tcp") ? "TCP" : "TLS"} allocates. Viewers can watch through the relay; direct connections need UDP.`, UDP_FIX, { server: f.stun.server, error: f.stun.outcome.detail }));
  } else {
    out.push(check("stun_udp", anyWorks ? "warn" : "fail", "stun_no_answer", `No STUN answer from ${f.stun.server} over UDP (${f.stun.outcome.detail}).`, UDP_FIX, { server: f.stun.server, error: f.stun.outcome.detail }));
  }

  for (const t of transports) {
    const id = TURN_ID[t];
    const probe = f.turn[t];
    if (!probe) {
      if (!f.turnConfigured && offered.length === 0) {
        out.push(check(id, "warn", "turn_not_configured", "The edge hands out no TURN servers: viewers behind strict NATs or firewalls cannot reach this camera.",
          "Operator: deploy coturn and set TURN_SECRET and TURN_REGIONS on the edge (turn/DEPLOY.md)."));
      } else {
        out.push(check(id, "warn", "turn_not_offered", `The edge offers no TURN over ${LABEL[t]}${t === "tls" ? " (443)" : ""}.${t === "tls" ? " A camera on a network that lets only HTTPS out cannot relay." : ""}`,
          "Operator: list turn:…?transport=udp, turn:…?transport=tcp and turns:…:443?transport=tcp in each TURN_REGIONS entry (turn/DEPLOY.md)."));
      }
      continue;
    }
    const o = probe.outcome;
    const details = { server: probe.server, ms: o.ms };
    if (o.ok) {
      out.push(check(id, "pass", "ok", `Relay allocated on ${probe.server} over ${LABEL[t]} in ${o.ms} ms.`, undefined, { ...details, relayed: o.relayed }));
      continue;
    }
    if (o.kind === "auth") {
      out.push(check(id, "fail", "turn_auth_failed",
        allAuth
          ? `Wrong TURN secret: ${probe.server} refuses the credentials the edge minted (${o.detail}).`
          : `${probe.server} refuses the edge's credentials over ${LABEL[t]} (${o.detail}).`,
        SECRET_FIX, { ...details, error: o.detail }));
      continue;
    }
    if (o.kind === "refused") {
      out.push(check(id, "fail", "turn_refused", `${probe.server} refused the relay over ${LABEL[t]} (${o.detail}).`, "Operator: check coturn's log for this allocation (quotas, denied peers).", { ...details, error: o.detail }));
      continue;
    }
    if (t === "udp" && streamWorks) {
      out.push(check(id, "warn", "udp_blocked", `UDP blocked, TCP works: no answer from ${probe.server} over UDP (${o.detail}), but the relay over ${works("tcp") ? "TCP" : "TLS"} works. Viewers can still watch, through the relay.`, UDP_FIX, { ...details, error: o.detail }));
      continue;
    }
    // A stream transport that fails while another transport relays: the camera still works.
    out.push(check(id, anyWorks ? "warn" : "fail", "turn_unreachable", `No relay over ${LABEL[t]}: ${probe.server} ${o.kind === "timeout" ? "did not answer" : "could not be reached"} (${o.detail}).`,
      anyWorks
        ? `Another transport relays, so viewers can still watch. If this network should allow ${LABEL[t]}, check its firewall.`
        : "Nothing relays: check that this network lets the camera out to the TURN server (UDP 3478, TCP 3478, TCP 443), and that the TURN server runs.",
      { ...details, error: o.detail }));
  }
  return out;
}
