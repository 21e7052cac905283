import { describe, expect, it } from "vitest";
import type { CreateSessionRequest, CreateSessionResponse } from "../../../protocol/http.ts";
import type { ApiResult } from "./api.ts";
import { GrantPrefetch, PREFETCH_MAX_AGE_MS } from "./grant-prefetch.ts";

function grant(serial: string, n: number): CreateSessionResponse {
  return { sessionId: `S-${serial}-${n}`, ticket: `t${n}`, expiresAt: "2026-12-07T00:01:00Z", wsPath: `/ws/view/${serial}`, reportToken: "r", cameraNat: null };
}

function setup(result: (body: CreateSessionRequest, n: number) => ApiResult<CreateSessionResponse> = (b, n) => ({ ok: true, value: grant(b.serial, n) })) {
  let t = 1_000_000;
  const asked: CreateSessionRequest[] = [];
  const p = new GrantPrefetch(async (body) => {
    asked.push(body);
    return result(body, asked.length);
  }, () => t);
  return { p, asked, advance: (ms: number) => (t += ms) };
}

describe("GrantPrefetch", () => {
  it("hands the prefetched grant to the session once, so a second open asks again", async () => {
    const { p, asked } = setup();
    p.prefetch({ serial: "CAM-1" });
    expect((await p.take("CAM-1"))?.sessionId).toBe("S-CAM-1-1");
    expect(await p.take("CAM-1")).toBeNull();
    expect(asked).toHaveLength(1);
  });

  it("asks once while a grant for the same camera is on its way", () => {
    const { p, asked } = setup();
    p.prefetch({ serial: "CAM-1" });
    p.prefetch({ serial: "CAM-1" });
    p.prefetch({ serial: "CAM-2" });
    expect(asked.map((b) => b.serial)).toEqual(["CAM-1", "CAM-2"]);
  });

  it("does not hand out a grant too old to open a socket with, and asks afresh later", async () => {
    const { p, asked, advance } = setup();
    p.prefetch({ serial: "CAM-1" });
    advance(PREFETCH_MAX_AGE_MS + 1);
    expect(await p.take("CAM-1")).toBeNull();
    p.prefetch({ serial: "CAM-1" });
    expect(asked).toHaveLength(2);
  });

  it("keeps a refused or failed prefetch to itself: the session's own request says why", async () => {
    const { p } = setup(() => ({ ok: false, error: { code: "device_offline" } }));
    p.prefetch({ serial: "CAM-1" });
    expect(await p.take("CAM-1")).toBeNull();
    const thrower = new GrantPrefetch(() => Promise.reject(new Error("offline")));
    thrower.prefetch({ serial: "CAM-2" });
    expect(await thrower.take("CAM-2")).toBeNull();
  });

  it("has nothing to give for a camera nobody pointed at", async () => {
    const { p } = setup();
    expect(await p.take("CAM-9")).toBeNull();
  });
});
