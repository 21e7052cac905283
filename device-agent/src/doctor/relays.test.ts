import { describe, expect, it } from "vitest";
import { evaluateRelays, type RelayFacts, type TurnOutcome } from "./relays.ts";

const OK: TurnOutcome = { ok: true, ms: 12, relayed: "127.0.0.1:49200" };
const TIMEOUT: TurnOutcome = { ok: false, kind: "timeout", detail: "no answer within 5 s", ms: 5000 };
const AUTH: TurnOutcome = { ok: false, kind: "auth", detail: "401 Unauthorized", ms: 8 };
const byId = (results: ReturnType<typeof evaluateRelays>) => Object.fromEntries(results.map((r) => [r.id, r]));
const facts = (o: Partial<RelayFacts>): RelayFacts => ({ haveServers: true, turnConfigured: true, stun: { server: "turn.test:3478", outcome: { ok: true, mapped: "203.0.113.7:50000", ms: 20 } }, turn: {}, ...o });

describe("STUN and TURN checks", () => {
  it("passes every transport that allocates, with the public address STUN saw", () => {
    const r = byId(evaluateRelays(facts({ turn: { udp: { server: "t:3478", outcome: OK }, tcp: { server: "t:3478", outcome: OK }, tls: { server: "t:443", outcome: OK } } })));
    expect(r.stun_udp).toMatchObject({ status: "pass" });
    expect(r.stun_udp!.message).toContain("203.0.113.7:50000");
    expect([r.turn_udp!.status, r.turn_tcp!.status, r.turn_tls!.status]).toEqual(["pass", "pass", "pass"]);
  });

  it('names "UDP blocked, TCP works" as a warning when UDP is silent and the TCP relay allocates', () => {
    const r = byId(evaluateRelays(facts({
      stun: { server: "t:3478", outcome: { ok: false, kind: "timeout", detail: "no answer within 5 s" } },
      turn: { udp: { server: "t:3478", outcome: TIMEOUT }, tcp: { server: "t:3478", outcome: OK } },
    })));
    for (const id of ["stun_udp", "turn_udp"]) {
      expect(r[id]).toMatchObject({ status: "warn", code: "udp_blocked" });
      expect(r[id]!.message).toMatch(/^UDP blocked, TCP works/);
    }
    expect(r.turn_tcp!.status).toBe("pass");
  });

  it("fails every transport with a wrong TURN secret when all answer 401", () => {
    const results = evaluateRelays(facts({ turn: { udp: { server: "t:3478", outcome: AUTH }, tcp: { server: "t:3478", outcome: AUTH } } }));
    const r = byId(results);
    for (const id of ["turn_udp", "turn_tcp"]) {
      expect(r[id]).toMatchObject({ status: "fail", code: "turn_auth_failed" });
      expect(r[id]!.message).toMatch(/^Wrong TURN secret/);
      expect(r[id]!.fix).toMatch(/TURN_SECRET.*static-auth-secret/);
    }
  });

  it("fails STUN and TURN when nothing answers on any transport", () => {
    const r = byId(evaluateRelays(facts({
      stun: { server: "t:3478", outcome: { ok: false, kind: "timeout", detail: "x" } },
      turn: { udp: { server: "t:3478", outcome: TIMEOUT }, tcp: { server: "t:3478", outcome: { ok: false, kind: "unreachable", detail: "ECONNREFUSED", ms: 1 } } },
    })));
    expect([r.stun_udp!.status, r.turn_udp!.status, r.turn_tcp!.status]).toEqual(["fail", "fail", "fail"]);
  });

  it("warns about a transport the edge does not offer, and about an edge without TURN", () => {
    const r = byId(evaluateRelays(facts({ turn: { udp: { server: "t:3478", outcome: OK }, tcp: { server: "t:3478", outcome: OK } } })));
    expect(r.turn_tls).toMatchObject({ status: "warn", code: "turn_not_offered" });
    const none = byId(evaluateRelays(facts({ turnConfigured: false, turn: {} })));
    expect(none.turn_udp).toMatchObject({ status: "warn", code: "turn_not_configured" });
  });

  it("skips all four when the edge handed out no servers", () => {
    expect(evaluateRelays(facts({ haveServers: false })).map((c) => c.status)).toEqual(["skip", "skip", "skip", "skip"]);
  });
});
