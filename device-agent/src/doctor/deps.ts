// Why: the doctor's real world (system clock, interfaces, /proc/net/route, DNS, fetch, sockets)
// in one place; tests replace any part of it.
import { readFileSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { networkInterfaces } from "node:os";
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
    natUnavailableReason: "NAT discovery (RFC 5780) is not part of this agent build yet.",
  };
}
