// talk.start / talk.stop through the real router and controls registry, with fake sessions and a
// fake sink: exclusivity, who-is-talking events, only the holder's audio kept, and every way the
// floor is given back (stop, session close, silence).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ControlEventData, ControlEventName, SessionRole } from "../../../../protocol/index.ts";
import { silentLogger } from "../../log.ts";
import { createCameraControls, type CameraControls } from "../camera-controls.ts";
import { routeControlRequest } from "../control-router.ts";
import type { ControlSession } from "../control-session.ts";
import { fixedStream } from "../../webrtc/session-controls.ts";
import { createTalkAudioBus } from "./talk-audio-bus.ts";
import { talkFeature } from "./talk-feature.ts";
import type { TalkBurstInfo, TalkSink } from "./talk-sink.ts";
import type { TalkRtp } from "./opus-rtp-timeline.ts";

interface FakeBurst {
  info: TalkBurstInfo;
  packets: TalkRtp[];
  ended: boolean;
}

function fakeSink(): TalkSink & { bursts: FakeBurst[] } {
  const bursts: FakeBurst[] = [];
  return {
    bursts,
    description: "fake",
    open(info) {
      const b: FakeBurst = { info, packets: [], ended: false };
      bursts.push(b);
      return {
        write: (rtp) => void b.packets.push(rtp),
        end: async () => void (b.ended = true),
      };
    },
  };
}

type Session = ControlSession & { events: { event: ControlEventName; data: unknown }[] };

function session(id: string, label: string, role: SessionRole = "viewer"): Session {
  const events: Session["events"] = [];
  return {
    sessionId: id,
    role,
    label,
    events,
    stream: fixedStream(),
    emit<E extends ControlEventName>(event: E, data: ControlEventData<E>) {
      events.push({ event, data });
    },
    sendBulk: async () => {},
  };
}

let controls: CameraControls | undefined;
afterEach(async () => {
  await controls?.stop();
  controls = undefined;
  vi.useRealTimers();
});

function setup(o: { sink?: TalkSink | null; now?: () => number } = {}) {
  const audio = createTalkAudioBus();
  const sink = o.sink === undefined ? fakeSink() : o.sink;
  controls = createCameraControls([talkFeature({ sink, note: "no speaker", audio, ...(o.now ? { now: o.now } : {}) })], silentLogger);
  const c = controls;
  const call = async (s: ControlSession, method: "talk.start" | "talk.stop") => (await routeControlRequest({ type: "req", id: 1, method, params: {} }, c.handlers, s)).response;
  const rtp = (sequence: number): TalkRtp => ({ sequence, timestamp: sequence * 960, payload: Uint8Array.of(0xf8, sequence & 0xff) });
  return { audio, sink, controls: c, call, rtp };
}

const lastTalkState = (s: Session) => s.events.filter((e) => e.event === "talk.state").at(-1)?.data;

describe("talk feature", () => {
  it("gives the floor to one talker and answers a second with busy and the talker's name", async () => {
    const { controls, call } = setup();
    const alice = session("s1", "alice");
    const bob = session("s2", "bob");
    controls.attach(alice);
    controls.attach(bob);
    expect(await call(alice, "talk.start")).toMatchObject({ ok: true });
    expect(await call(bob, "talk.start")).toMatchObject({ ok: false, error: { code: "busy", message: "alice is talking." } });
  });

  it("tells every viewer who is talking, and the talker that it is them", async () => {
    const { controls, call } = setup();
    const alice = session("s1", "alice");
    const bob = session("s2", "bob");
    controls.attach(alice);
    controls.attach(bob);
    await call(alice, "talk.start");
    expect(lastTalkState(alice)).toEqual({ by: "alice", you: true });
    expect(lastTalkState(bob)).toEqual({ by: "alice", you: false });
    await call(alice, "talk.stop");
    expect(lastTalkState(bob)).toEqual({ by: null, you: false });
  });

  it("writes only the floor holder's audio to the sink, one burst per floor grant", async () => {
    const { controls, call, audio, sink, rtp } = setup();
    const alice = session("s1", "alice");
    const bob = session("s2", "bob");
    controls.attach(alice);
    controls.attach(bob);
    audio.deliver("s1", rtp(1)); // before talk.start: dropped
    await call(alice, "talk.start");
    audio.deliver("s1", rtp(2));
    audio.deliver("s2", rtp(3)); // bob has no floor
    audio.deliver("s1", rtp(4));
    await call(alice, "talk.stop");
    audio.deliver("s1", rtp(5)); // after stop: dropped
    await call(bob, "talk.start");
    audio.deliver("s2", rtp(6));
    const s = sink as ReturnType<typeof fakeSink>;
    expect(s.bursts.map((b) => [b.info.label, b.packets.map((p) => p.sequence), b.ended])).toEqual([
      ["alice", [2, 4], true],
      ["bob", [6], false],
    ]);
  });

  it("releases the floor when the talker's session closes", async () => {
    const { controls, call } = setup();
    const alice = session("s1", "alice");
    const bob = session("s2", "bob");
    const detachAlice = controls.attach(alice);
    controls.attach(bob);
    await call(alice, "talk.start");
    detachAlice();
    expect(lastTalkState(bob)).toEqual({ by: null, you: false });
    expect(await call(bob, "talk.start")).toMatchObject({ ok: true });
  });

  it("releases the floor after 5 s without audio from the talker", async () => {
    vi.useFakeTimers();
    const { controls, call, audio, sink, rtp } = setup({ now: () => Date.now() });
    const alice = session("s1", "alice");
    controls.attach(alice);
    await call(alice, "talk.start");
    for (let i = 1; i <= 100; i++) {
      audio.deliver("s1", rtp(i));
      await vi.advanceTimersByTimeAsync(20); // 2 s of audio keeps the floor
    }
    expect(lastTalkState(alice)).toEqual({ by: "alice", you: true });
    await vi.advanceTimersByTimeAsync(5_600);
    expect(lastTalkState(alice)).toEqual({ by: null, you: false });
    expect((sink as ReturnType<typeof fakeSink>).bursts[0]!.ended).toBe(true);
  });

  it("treats talk.stop without the floor as done, not an error", async () => {
    const { controls, call } = setup();
    const bob = session("s2", "bob");
    controls.attach(bob);
    expect(await call(bob, "talk.stop")).toMatchObject({ ok: true });
  });

  it("refuses talk.start with unsupported and the reason when the camera has no sink", async () => {
    const { controls, call } = setup({ sink: null });
    expect(controls.features.talk).toBe(false);
    expect(controls.features.notes).toEqual(["no speaker"]);
    expect(await call(session("s1", "alice", "owner"), "talk.start")).toMatchObject({ ok: false, error: { code: "unsupported", message: "no speaker" } });
  });

  it("lets guests and access-code viewers neither start nor stop talking", async () => {
    const { call } = setup();
    expect(await call(session("s3", "guest", "guest"), "talk.start")).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await call(session("s4", "code", "code"), "talk.stop")).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});
