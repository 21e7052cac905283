import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeBulkFrame } from "../../../protocol/controls.ts";
import { ControlClient, ControlRequestError } from "./control-client.ts";

function harness(open = true) {
  const sent: Array<{ id: number; method: string; params: unknown }> = [];
  const client = new ControlClient((text) => {
    if (!open) return false;
    sent.push(JSON.parse(text));
    return true;
  });
  return { client, sent };
}

afterEach(() => vi.useRealTimers());

describe("control client", () => {
  it("sends requests with fresh ids and resolves with the validated result", async () => {
    const { client, sent } = harness();
    const a = client.request("ptz.stop", {});
    const b = client.request("ptz.goto", { token: "1" });
    expect(sent.map((m) => [m.id, m.method])).toEqual([[1, "ptz.stop"], [2, "ptz.goto"]]);
    client.receiveResponse({ type: "res", id: 2, ok: true, result: {} });
    client.receiveResponse({ type: "res", id: 1, ok: true, result: {} });
    await expect(a).resolves.toEqual({});
    await expect(b).resolves.toEqual({});
  });

  it("rejects with the device's code, message and field", async () => {
    const { client } = harness();
    const p = client.request("settings.set", { patch: { timeZone: "Mars/Base" } });
    client.receiveResponse({ type: "res", id: 1, ok: false, error: { code: "invalid_value", message: "timeZone: not a zone", field: "timeZone" } });
    await expect(p).rejects.toMatchObject({ code: "invalid_value", message: "timeZone: not a zone", field: "timeZone" });
  });

  it("rejects a reply that does not match the method's result schema", async () => {
    const { client } = harness();
    const p = client.request("ptz.status", {});
    client.receiveResponse({ type: "res", id: 1, ok: true, result: { driver: "laser" } });
    await expect(p).rejects.toMatchObject({ code: "malformed_message" });
  });

  it("times out an unanswered request and ignores its late reply", async () => {
    vi.useFakeTimers();
    const { client } = harness();
    const p = client.request("ptz.home", {}, { timeoutMs: 50 });
    const check = expect(p).rejects.toMatchObject({ code: "timeout" });
    vi.advanceTimersByTime(60);
    await check;
    expect(() => client.receiveResponse({ type: "res", id: 1, ok: true, result: {} })).not.toThrow();
  });

  it("fails at once with unavailable when the channel is closed, and fails pending ones on close", async () => {
    const closed = harness(false);
    await expect(closed.client.request("ptz.stop", {})).rejects.toBeInstanceOf(ControlRequestError);
    const { client } = harness();
    const p = client.request("ptz.stop", {});
    client.close("gone");
    await expect(p).rejects.toMatchObject({ code: "unavailable" });
    await expect(client.request("ptz.stop", {})).rejects.toMatchObject({ code: "unavailable" });
  });

  it("delivers valid events to listeners and drops invalid ones", () => {
    const { client } = harness();
    const seen: unknown[] = [];
    const off = client.on("talk.state", (d) => seen.push(d));
    client.receiveEvent({ type: "event", event: "talk.state", data: { by: "ann", you: false } });
    client.receiveEvent({ type: "event", event: "talk.state", data: { by: 5 } });
    client.receiveEvent({ type: "event", event: "self-destruct", data: {} });
    off();
    client.receiveEvent({ type: "event", event: "talk.state", data: { by: null, you: false } });
    expect(seen).toEqual([{ by: "ann", you: false }]);
  });

  it("reassembles a transfer whose frames arrive before and after it is claimed", async () => {
    const { client } = harness();
    const bytes = new Uint8Array(40_000).map((_, i) => i % 251);
    const frames = [bytes.subarray(0, 16384), bytes.subarray(16384, 32768), bytes.subarray(32768)];
    client.receiveBulk(9, false, frames[0]!);
    const progress: number[] = [];
    const p = client.transfer(9, bytes.byteLength, (n) => progress.push(n));
    client.receiveBulk(9, false, frames[1]!);
    client.receiveBulk(9, true, frames[2]!);
    expect(await p).toEqual(bytes);
    expect(progress).toEqual([32768, 40000]);
  });

  it("rejects a transfer shorter than announced", async () => {
    const { client } = harness();
    const p = client.transfer(3, 100);
    client.receiveBulk(3, true, new Uint8Array(10));
    await expect(p).rejects.toMatchObject({ code: "internal" });
  });

  it("decodes bulk frames as the device encodes them", () => {
    const frame = encodeBulkFrame(0xdeadbeef, true, new Uint8Array([1, 2, 3]));
    expect(frame.byteLength).toBe(11);
    expect(Array.from(frame.subarray(0, 5))).toEqual([0xde, 0xad, 0xbe, 0xef, 1]);
  });
});
