import { Connection } from "werift";
import { describe, expect, it } from "vitest";
import { BETTER_RELAY_HOLD_MIN_MS, betterRelayHoldMs, shouldMoveToDirect, decideNomination, installRegularNomination, isRelayedPair, RELAY_HOLD_MAX_MS, RELAY_HOLD_MS, relayHoldMs, type PairSnapshot } from "./regular-nomination.ts";

const direct = (state: PairSnapshot["state"]): PairSnapshot => ({ state, relayed: false });
const relayed = (state: PairSnapshot["state"]): PairSnapshot => ({ state, relayed: true });

describe("decideNomination (pairs sorted by priority, highest first)", () => {
  it("keeps checking while no pair is valid", () => {
    expect(decideNomination([], undefined)).toBeNull();
    expect(decideNomination([direct("in-progress"), relayed("waiting")], undefined)).toBeNull();
  });

  it("nominates the best valid direct pair at once, even with higher pairs pending", () => {
    expect(decideNomination([direct("in-progress"), direct("succeeded"), relayed("succeeded")], 0)).toEqual({ nominate: 1 });
    expect(decideNomination([direct("succeeded"), direct("in-progress")], undefined)).toEqual({ nominate: 0 });
  });

  it("holds a valid relayed pair while a direct pair may still succeed", () => {
    const pairs = [direct("failed"), direct("in-progress"), relayed("succeeded")];
    expect(decideNomination(pairs, 0)).toEqual({ waitMs: RELAY_HOLD_MS });
    expect(decideNomination(pairs, RELAY_HOLD_MS - 100)).toEqual({ waitMs: 100 });
    expect(decideNomination([direct("frozen"), direct("waiting"), relayed("succeeded")], 10, true, 300)).toEqual({ waitMs: 290 });
  });

  it("nominates the relayed pair once the hold is over", () => {
    expect(decideNomination([direct("in-progress"), relayed("succeeded")], RELAY_HOLD_MS)).toEqual({ nominate: 1 });
  });

  it("nominates the relayed pair at once when every higher pair has failed", () => {
    expect(decideNomination([direct("failed"), direct("failed"), relayed("succeeded"), relayed("in-progress")], 0)).toEqual({ nominate: 2 });
  });

  it("prefers a direct pair that becomes valid during the hold", () => {
    expect(decideNomination([direct("failed"), direct("succeeded"), relayed("succeeded")], 200)).toEqual({ nominate: 1 });
  });

  it("prefers a valid direct pair ranked below a valid relayed one (a relayed check learned as prflx ranks high)", () => {
    expect(decideNomination([relayed("succeeded"), direct("in-progress"), direct("succeeded")], 0)).toEqual({ nominate: 2 });
  });

  it("holds a relayed pair ranked above the direct pairs still being checked", () => {
    expect(decideNomination([relayed("succeeded"), direct("in-progress"), relayed("succeeded")], 100)).toEqual({ waitMs: RELAY_HOLD_MS - 100 });
    expect(decideNomination([relayed("succeeded"), direct("failed"), relayed("waiting")], 0)).toEqual({ nominate: 0 });
  });

  it("holds a relayed pair while the peer's candidates are still coming, even with no direct pair yet", () => {
    expect(decideNomination([relayed("succeeded")], 0, false)).toEqual({ waitMs: RELAY_HOLD_MS });
    expect(decideNomination([relayed("succeeded")], RELAY_HOLD_MS, false)).toEqual({ nominate: 0 });
    // End-of-candidates with no direct pair (a viewer that forces relay): no reason to wait.
    expect(decideNomination([relayed("succeeded")], 0, true)).toEqual({ nominate: 0 });
  });

  it("does not wait for a relayed pair through the same viewer candidate (a viewer that forces relay offers no direct pair)", () => {
    expect(decideNomination([relayed("in-progress"), relayed("succeeded"), relayed("succeeded")], 0)).toEqual({ nominate: 1 });
    expect(decideNomination([relayed("failed"), relayed("succeeded")], 0)).toEqual({ nominate: 1 });
    const viaUdpRelay = (state: PairSnapshot["state"]): PairSnapshot => ({ state, relayed: true, remotePriority: 40 });
    expect(decideNomination([viaUdpRelay("in-progress"), viaUdpRelay("succeeded")], 0)).toEqual({ nominate: 1 });
  });

  it("waits a few round trips for a relay the viewer ranks higher (its UDP relay) when one through its TCP relay answered first", () => {
    const via = (state: PairSnapshot["state"], remotePriority: number): PairSnapshot => ({ state, relayed: true, remotePriority });
    const udpPending = [via("in-progress", 40), via("succeeded", 20)];
    expect(decideNomination(udpPending, 0, true, 0, 150)).toEqual({ waitMs: 150 });
    expect(decideNomination(udpPending, 150, true, 0, 150)).toEqual({ nominate: 1 });
    // The better one answers: it is nominated, being first among the valid pairs.
    expect(decideNomination([via("succeeded", 40), via("succeeded", 20)], 10, true, 0, 150)).toEqual({ nominate: 0 });
    // It failed: no reason to wait.
    expect(decideNomination([via("failed", 40), via("succeeded", 20)], 0, true, 0, 150)).toEqual({ nominate: 1 });
    // A pair through our relay to the viewer's host or srflx address carries no remotePriority
    // (installRegularNomination sets it only for the viewer's relay candidates): no wait for it.
    expect(decideNomination([relayed("in-progress"), via("succeeded", 20)], 0, true, 0, 150)).toEqual({ nominate: 1 });
    // A direct pair pending keeps the longer hold.
    expect(decideNomination([direct("in-progress"), ...udpPending], 0, true, RELAY_HOLD_MS, 150)).toEqual({ waitMs: RELAY_HOLD_MS });
  });

  it("waits for a better relay four of the relayed pair's round trips, 150 ms to 750 ms", () => {
    expect(betterRelayHoldMs(undefined)).toBe(BETTER_RELAY_HOLD_MIN_MS);
    expect(betterRelayHoldMs(2)).toBe(150);
    expect(betterRelayHoldMs(100)).toBe(400);
    expect(betterRelayHoldMs(1000)).toBe(RELAY_HOLD_MS);
  });
});

describe("isRelayedPair", () => {
  const none = { ips: new Set<string>(), addresses: new Set<string>() };
  const host = { type: "host", host: "192.168.1.10", port: 5000 };
  it("counts a relay candidate on either side as relayed", () => {
    expect(isRelayedPair({ ...host, type: "relay" }, { type: "srflx", host: "203.0.113.7", port: 1 }, none)).toBe(true);
    expect(isRelayedPair(host, { type: "relay", host: "198.51.100.10", port: 49152 }, none)).toBe(true);
    expect(isRelayedPair(host, { type: "srflx", host: "203.0.113.7", port: 1 }, none)).toBe(false);
  });

  it("counts a peer-reflexive address on a TURN relay's IP, or equal to a relay candidate trickled since, as relayed", () => {
    const prflx = { type: "prflx", host: "198.51.100.10", port: 49333 };
    expect(isRelayedPair(host, prflx, none)).toBe(false);
    expect(isRelayedPair(host, prflx, { ips: new Set(["198.51.100.10"]), addresses: new Set() })).toBe(true);
    expect(isRelayedPair(host, prflx, { ips: new Set(), addresses: new Set(["198.51.100.10:49333"]) })).toBe(true);
    // Another port on a trickled relay's IP is not enough when the IP is not a known relay's.
    expect(isRelayedPair(host, prflx, { ips: new Set(), addresses: new Set(["198.51.100.10:49334"]) })).toBe(false);
    // A loopback TURN server (local development) shares 127.0.0.1 with same-machine direct checks.
    expect(isRelayedPair(host, { type: "prflx", host: "127.0.0.1", port: 5000 }, { ips: new Set(["127.0.0.1"]), addresses: new Set() })).toBe(false);
    expect(isRelayedPair(host, { type: "prflx", host: "127.0.0.1", port: 5000 }, { ips: new Set(["127.0.0.1"]), addresses: new Set(["127.0.0.1:5000"]) })).toBe(true);
    // Only prflx is reinterpreted: a srflx on that IP is what the peer itself said it is.
    expect(isRelayedPair(host, { ...prflx, type: "srflx" }, { ips: new Set(["198.51.100.10"]), addresses: new Set() })).toBe(false);
  });
});

describe("installRegularNomination", () => {
  it("patches werift's Connection once, and ordinary checks carry no USE-CANDIDATE", () => {
    installRegularNomination();
    const proto = Connection.prototype as unknown as Record<string, unknown>;
    const patched = proto.buildRequest;
    installRegularNomination();
    expect(proto.buildRequest).toBe(patched);

    type Req = { attributesKeys: string[] };
    const build = proto.buildRequest as (this: unknown, a: object) => Req;
    const self = { iceControlling: true, remoteIsLite: false, tieBreaker: 1n };
    const args = { nominate: true, localUsername: "l", remoteUsername: "r", iceControlling: true, localCandidate: { transport: "udp" } };
    expect(build.call(self, args).attributesKeys).not.toContain("USE-CANDIDATE");
    // TCP pairs keep werift's own nomination; so does a lite peer (semi-aggressive consent).
    expect(build.call(self, { ...args, localCandidate: { transport: "tcp" } }).attributesKeys).toContain("USE-CANDIDATE");
    expect(build.call({ ...self, remoteIsLite: true }, args).attributesKeys).toContain("USE-CANDIDATE");
  });
});

describe("moving a relayed session to a direct path", () => {
  it("moves only from a relay to a direct pair, never between relays or away from a direct pair", () => {
    expect(shouldMoveToDirect(true, false)).toBe(true);
    expect(shouldMoveToDirect(true, true)).toBe(false);
    expect(shouldMoveToDirect(false, false)).toBe(false);
    expect(shouldMoveToDirect(false, true)).toBe(false);
  });
});

describe("relayHoldMs", () => {
  it("holds 750 ms on a short path or when no round trip was measured", () => {
    expect(relayHoldMs(undefined)).toBe(RELAY_HOLD_MS);
    expect(relayHoldMs(0)).toBe(RELAY_HOLD_MS);
    expect(relayHoldMs(20)).toBe(RELAY_HOLD_MS);
  });

  it("holds ten of the relayed pair's round trips on a long path (1.5 s at 150 ms)", () => {
    expect(relayHoldMs(150)).toBe(1500);
  });

  it("never holds longer than 3 s, whatever a slow relay measured", () => {
    expect(relayHoldMs(900)).toBe(RELAY_HOLD_MAX_MS);
    expect(relayHoldMs(Number.POSITIVE_INFINITY)).toBe(RELAY_HOLD_MS);
  });
});
