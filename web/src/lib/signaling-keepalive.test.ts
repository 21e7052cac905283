import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isPong, startKeepalive } from "./signaling-keepalive.ts";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("signaling keepalive", () => {
  it("sends a ping every 5 s while the socket is open", () => {
    const ws = { readyState: 1, send: vi.fn() };
    const stop = startKeepalive(ws);
    vi.advanceTimersByTime(4_999);
    expect(ws.send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(ws.send).toHaveBeenCalledWith("ping");
    vi.advanceTimersByTime(10_000);
    expect(ws.send).toHaveBeenCalledTimes(3);
    stop();
    vi.advanceTimersByTime(20_000);
    expect(ws.send).toHaveBeenCalledTimes(3);
  });

  it("sends nothing on a closing socket", () => {
    const ws = { readyState: 2, send: vi.fn() };
    startKeepalive(ws);
    vi.advanceTimersByTime(15_000);
    expect(ws.send).not.toHaveBeenCalled();
  });

  it("recognizes the edge's pong, and only that", () => {
    expect(isPong("pong")).toBe(true);
    expect(isPong('{"type":"pong"}')).toBe(false);
    expect(isPong(new ArrayBuffer(4))).toBe(false);
  });
});
