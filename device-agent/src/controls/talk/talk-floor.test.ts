// The talk floor: one talker per camera, others refused with the holder's name, and a silent
// holder loses it — rules checked with explicit times, no sockets or audio.
import { describe, expect, it } from "vitest";
import { createTalkFloor } from "./talk-floor.ts";

describe("talk floor", () => {
  it("gives the floor to the first talker and refuses a second with the holder's name", () => {
    const floor = createTalkFloor(5000);
    expect(floor.request("s1", "alice", 0)).toEqual({ ok: true, changed: true });
    expect(floor.request("s2", "bob", 10)).toEqual({ ok: false, holder: "alice" });
    expect(floor.holder?.sessionId).toBe("s1");
  });

  it("treats a repeated start by the holder as no change", () => {
    const floor = createTalkFloor(5000);
    floor.request("s1", "alice", 0);
    expect(floor.request("s1", "alice", 100)).toEqual({ ok: true, changed: false });
  });

  it("lets the next talker in once the holder stops", () => {
    const floor = createTalkFloor(5000);
    floor.request("s1", "alice", 0);
    expect(floor.release("s2")).toBe(false); // not the holder: nothing happens
    expect(floor.holder?.label).toBe("alice");
    expect(floor.release("s1")).toBe(true);
    expect(floor.holder).toBeNull();
    expect(floor.request("s2", "bob", 20)).toEqual({ ok: true, changed: true });
  });

  it("keeps only the holder's audio", () => {
    const floor = createTalkFloor(5000);
    expect(floor.audio("s1", 0)).toBe(false); // nobody holds it
    floor.request("s1", "alice", 0);
    expect(floor.audio("s1", 20)).toBe(true);
    expect(floor.audio("s2", 20)).toBe(false);
  });

  it("releases a holder whose audio stopped for longer than the idle timeout, counted from the last packet", () => {
    const floor = createTalkFloor(5000);
    floor.request("s1", "alice", 0);
    floor.audio("s1", 3000);
    expect(floor.expire(8000)).toBeNull(); // exactly 5 s after the last packet: still held
    expect(floor.expire(8001)?.sessionId).toBe("s1");
    expect(floor.holder).toBeNull();
  });

  it("releases a talker who took the floor and never sent audio", () => {
    const floor = createTalkFloor(5000);
    floor.request("s1", "alice", 1000);
    expect(floor.expire(5999)).toBeNull();
    expect(floor.expire(6001)?.label).toBe("alice");
  });
});
