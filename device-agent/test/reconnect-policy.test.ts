import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_RECONNECT_DELAYS_MS,
  createDefaultReconnectPolicy,
  type ReconnectPolicy,
} from "../../protocol/reconnect-policy.ts";

describe("default reconnect policy", () => {
  it("follows the delay table and then repeats its last entry", () => {
    const p = createDefaultReconnectPolicy({ random: () => 0 });
    const delays = Array.from({ length: 12 }, (_, i) => p.nextRetryDelayInMs({ retryCount: i, elapsedMs: 0 }));
    expect(delays.slice(0, DEFAULT_RECONNECT_DELAYS_MS.length)).toEqual([...DEFAULT_RECONNECT_DELAYS_MS]);
    expect(delays.slice(DEFAULT_RECONNECT_DELAYS_MS.length)).toEqual([30_000, 30_000, 30_000, 30_000]);
  });

  it("adds at most jitterRatio of the base delay, driven by the injected random", () => {
    const p = createDefaultReconnectPolicy({ delaysMs: [1000], jitterRatio: 0.5, random: () => 0.999 });
    expect(p.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 0 })).toBe(1500);
    const q = createDefaultReconnectPolicy({ delaysMs: [1000], jitterRatio: 0.5, random: () => 0.5 });
    expect(q.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 0 })).toBe(1250);
  });

  it("stops retrying once maxElapsedMs has passed", () => {
    const p = createDefaultReconnectPolicy({ maxElapsedMs: 60_000, random: () => 0 });
    expect(p.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 59_999 })).toBe(2000);
    expect(p.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 60_000 })).toBeNull();
  });

  it("treats a negative retry count as the first retry", () => {
    const p = createDefaultReconnectPolicy({ delaysMs: [5, 10], random: () => 0 });
    expect(p.nextRetryDelayInMs({ retryCount: -1, elapsedMs: 0 })).toBe(5);
  });
});

describe("a retry loop driven by the policy (fake timers)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // The shape the signaling client uses: on failure, ask the policy, wait, try again.
  function runLoop(policy: ReconnectPolicy, attempt: () => boolean, now: () => number): { attempts: number[] } {
    const attempts: number[] = [];
    const start = now();
    let retryCount = 0;
    const tryOnce = (): void => {
      attempts.push(now() - start);
      if (attempt()) return;
      const delay = policy.nextRetryDelayInMs({ retryCount, elapsedMs: now() - start });
      retryCount++;
      if (delay !== null) setTimeout(tryOnce, delay);
    };
    tryOnce();
    return { attempts };
  }

  it("attempts at the cumulative table times, and not before", () => {
    vi.useFakeTimers();
    const policy = createDefaultReconnectPolicy({ delaysMs: [0, 300, 1000, 2000], random: () => 0 });
    const { attempts } = runLoop(policy, () => false, () => Date.now());
    vi.advanceTimersByTime(0);
    expect(attempts).toEqual([0, 0]);
    vi.advanceTimersByTime(299);
    expect(attempts).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(attempts).toEqual([0, 0, 300]);
    vi.advanceTimersByTime(1000 + 2000 + 2000);
    expect(attempts).toEqual([0, 0, 300, 1300, 3300, 5300]);
  });

  it("stops scheduling after a success", () => {
    vi.useFakeTimers();
    let n = 0;
    const policy = createDefaultReconnectPolicy({ delaysMs: [100], random: () => 0 });
    const { attempts } = runLoop(policy, () => ++n === 3, () => Date.now());
    vi.advanceTimersByTime(10_000);
    expect(attempts).toEqual([0, 100, 200]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
