import { Connection } from "werift";
import { describe, expect, it } from "vitest";
import { installWeriftShims } from "./werift-shims.ts";

installWeriftShims();

type Internals = { stunServer: unknown; nominated: unknown; checkListDone: boolean; schedulingChecks(): boolean; checkList: unknown[] };

describe("werift shims", () => {
  it("gathers no server-reflexive candidate from a public STUN server when none is configured", () => {
    const conn = new Connection(true, {}) as unknown as Internals;
    expect(conn.stunServer).toBeUndefined();
  });

  it("keeps a configured STUN server", () => {
    const conn = new Connection(true, { stunServer: ["127.0.0.1", 3478] }) as unknown as Internals;
    expect(conn.stunServer).toEqual(["127.0.0.1", 3478]);
  });

  it("stops scheduling checks once a pair is nominated, even for pairs formed later", () => {
    const conn = new Connection(true, {}) as unknown as Internals;
    // A pair still waiting (as one formed from a late trickled candidate would be).
    conn.checkList.push({ state: 1 /* CandidatePairState.WAITING */, handle: undefined });
    conn.nominated = { id: "pair" };
    conn.checkListDone = true;
    expect(conn.schedulingChecks()).toBe(false);
  });

  it("installs once however often it is called", () => {
    const proto = Connection.prototype as unknown as Internals;
    const before = proto.schedulingChecks;
    installWeriftShims();
    expect(proto.schedulingChecks).toBe(before);
  });
});
