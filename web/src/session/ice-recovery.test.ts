import { describe, expect, it } from "vitest";
import { MEDIA_STALL_MS, newRecoveryState, nextRestartStep, observeMediaFlow, RESTART_POLICY_MS, signalingResumed, iceStateSeen } from "./ice-recovery.ts";

const live = { iceUp: true, live: true };

describe("ICE recovery decisions", () => {
  it("calls a live session stalled once no byte arrived for MEDIA_STALL_MS, counting from the last byte", () => {
    const s = newRecoveryState();
    expect(observeMediaFlow(s, 1000, 0, live)).toBe("flowing");
    expect(observeMediaFlow(s, 1000, MEDIA_STALL_MS, live)).toBe("unchanged");
    expect(observeMediaFlow(s, 1000, MEDIA_STALL_MS + 1, live)).toBe("stalled");
    expect(s.iceDownSince).toBe(0);
    // Said once: the restart policy takes over from there.
    expect(observeMediaFlow(s, 1000, MEDIA_STALL_MS + 500, live)).toBe("unchanged");
  });

  it("does not call a session stalled before media ever flowed, or when it is not live", () => {
    const s = newRecoveryState();
    expect(observeMediaFlow(s, 0, 10_000, live)).toBe("unchanged");
    observeMediaFlow(s, 10, 0, live);
    expect(observeMediaFlow(s, 10, 5000, { iceUp: true, live: false })).toBe("unchanged");
  });

  it("ends a restart under way once bytes flow again on a path ICE calls up, not before", () => {
    const s = newRecoveryState();
    observeMediaFlow(s, 10, 0, live);
    observeMediaFlow(s, 10, 2000, live);
    expect(s.iceDownSince).toBe(0);
    observeMediaFlow(s, 20, 2100, { iceUp: false, live: true });
    expect(s.iceDownSince).toBe(0);
    observeMediaFlow(s, 30, 2200, live);
    expect(s.iceDownSince).toBeNull();
  });

  it("sends a restart, refuses a second within minGap, then sends again", () => {
    const s = newRecoveryState();
    iceStateSeen(s, false, 100);
    expect(nextRestartStep(s, 100, true)).toBe("send");
    expect(nextRestartStep(s, 100 + RESTART_POLICY_MS.minGap - 1, true)).toBe("too-soon");
    expect(nextRestartStep(s, 100 + RESTART_POLICY_MS.minGap, true)).toBe("send");
  });

  it("waits for signaling while its socket is down, and asks again at once when it is resumed", () => {
    const s = newRecoveryState();
    iceStateSeen(s, false, 0);
    expect(nextRestartStep(s, 0, true)).toBe("send");
    // The socket died with our ask in it (an address change): the resume asks again, minGap or not.
    expect(nextRestartStep(s, 200, false)).toBe("await-signaling");
    expect(signalingResumed(s)).toBe(true);
    expect(nextRestartStep(s, 300, true)).toBe("send");
  });

  it("asks nothing on resume when ICE is up", () => {
    const s = newRecoveryState();
    expect(signalingResumed(s)).toBe(false);
  });

  it("gives up once ICE has been down longer than the policy allows", () => {
    const s = newRecoveryState();
    iceStateSeen(s, false, 0);
    expect(nextRestartStep(s, RESTART_POLICY_MS.giveUp, true)).toBe("send");
    expect(nextRestartStep(s, RESTART_POLICY_MS.giveUp + 1, false)).toBe("give-up");
    iceStateSeen(s, true, RESTART_POLICY_MS.giveUp + 2);
    expect(s.iceDownSince).toBeNull();
  });
});
