import { describe, expect, it } from "vitest";
import { STALE_ATTEMPT_WINDOW_MS, STALE_REPLACEMENT_RETRIES, replacedByOwnLateAttempt } from "./stale-attempt.ts";

describe("a replacement after an abandoned attempt", () => {
  it("is obeyed when this agent never abandoned an attempt (another agent has our serial)", () => {
    expect(replacedByOwnLateAttempt({ abandonedAt: undefined, retried: 0 }, 1_000)).toBe(false);
  });

  it("is retried within the window after an abandoned attempt", () => {
    expect(replacedByOwnLateAttempt({ abandonedAt: 1_000, retried: 0 }, 1_000 + STALE_ATTEMPT_WINDOW_MS)).toBe(true);
  });

  it("is obeyed once the window has passed", () => {
    expect(replacedByOwnLateAttempt({ abandonedAt: 1_000, retried: 0 }, 1_001 + STALE_ATTEMPT_WINDOW_MS)).toBe(false);
  });

  it("is obeyed after the allowed retries, so two agents sharing a serial do not fight forever", () => {
    expect(replacedByOwnLateAttempt({ abandonedAt: 1_000, retried: STALE_REPLACEMENT_RETRIES - 1 }, 2_000)).toBe(true);
    expect(replacedByOwnLateAttempt({ abandonedAt: 1_000, retried: STALE_REPLACEMENT_RETRIES }, 2_000)).toBe(false);
  });
});
