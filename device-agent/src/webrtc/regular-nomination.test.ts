import { Connection } from "werift";
import { describe, expect, it } from "vitest";
import { decideNomination, installRegularNomination, RELAY_HOLD_MS, type PairSnapshot } from "./regular-nomination.ts";

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
    expect(decideNomination([direct("frozen"), direct("waiting"), relayed("succeeded")], 10, 300)).toEqual({ waitMs: 290 });
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

  it("does not wait for relayed pairs (a viewer that forces relay offers no direct pair)", () => {
    expect(decideNomination([relayed("in-progress"), relayed("succeeded"), relayed("succeeded")], 0)).toEqual({ nominate: 1 });
    expect(decideNomination([relayed("failed"), relayed("succeeded")], 0)).toEqual({ nominate: 1 });
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
