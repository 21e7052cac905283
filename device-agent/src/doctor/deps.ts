// Why: the doctor's real world (system clock, interfaces, /proc/net/route, DNS, fetch, sockets)
// in one place; tests replace any part of it.
import { readFileSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
import { discoverNatBehavior, NAT_TYPE_LABELS, type NatReport } from "../nat/index.ts";
import type { NatSummary } from "./nat.ts";
import { probeStun, probeTurn, probeWebSocket } from "./probes.ts";
import type { DoctorDeps } from "./run.ts";

/** Each probe's deadline: long enough for a slow link, short enough that the whole run takes ~10 s. */
export const DOCTOR_TIMEOUT_MS = 5000;

function readRouteTable(): string | undefined {
  try {
    return readFileSync("/proc/net/route", "utf8");
  } catch {
    return undefined;
  }
}

export function realDoctorDeps(): DoctorDeps {
  return {
    now: () => Date.now(),
    timeoutMs: DOCTOR_TIMEOUT_MS,
    networkFacts: (edgeIsLocal) => ({ interfaces: networkInterfaces(), routeTable: readRouteTable(), edgeIsLocal }),
    lookupAll: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
    fetch: (input, init) => fetch(input, init),
    probeWebSocket,
    probeStun,
    probeTurn,
    // Discovery keeps its own per-request deadline (1.5 s): it sends several requests in turn.
    discoverNat: async (stunServer) => natSummary(await discoverNatBehavior({ stunServer })),
  };
}

/** The agent's RFC 5780 report (../nat) in the doctor's terms. */
export function natSummary(r: NatReport): NatSummary {
  return {
    natType: r.natType,
    label: NAT_TYPE_LABELS[r.natType],
    mapping: r.mapping,
    filtering: r.filtering,
    hairpinning: r.hairpinning,
    rfc5780: r.rfc5780,
    ...(r.mappedAddress ? { mappedAddress: `${r.mappedAddress.ip}:${r.mappedAddress.port}` } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}
