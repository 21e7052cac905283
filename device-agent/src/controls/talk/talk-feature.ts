// Why: intercom (issue 5 §4): talk.start / talk.stop take and give up the camera's one talk
// floor; only the holder's audio reaches the sink, everyone else's is dropped; every viewer is
// told who talks (talk.state). The floor is also released when the holder's session closes and
// when their audio stops for TALK_IDLE_TIMEOUT_MS.
import type { CameraFeature, FeatureFactory } from "../camera-controls.ts";
import { ControlFailure } from "../control-failure.ts";
import type { ControlSession } from "../control-session.ts";
import type { TalkAudioBus } from "./talk-audio-bus.ts";
import { createTalkFloor, TALK_IDLE_TIMEOUT_MS } from "./talk-floor.ts";
import type { TalkBurst, TalkSink } from "./talk-sink.ts";

/** How often a held floor is checked for silence. */
const IDLE_CHECK_MS = 500;

export interface TalkFeatureOptions {
  /** Where the voice goes; null: talk is off and `note` says why. */
  sink: TalkSink | null;
  note?: string;
  audio: TalkAudioBus;
  idleTimeoutMs?: number;
  now?: () => number;
}

export function talkFeature(o: TalkFeatureOptions): FeatureFactory {
  return (ctx): CameraFeature => {
    const now = o.now ?? Date.now;
    const log = ctx.logger;
    const floor = createTalkFloor(o.idleTimeoutMs ?? TALK_IDLE_TIMEOUT_MS);
    let burst: TalkBurst | null = null;
    let idleTimer: NodeJS.Timeout | null = null;
    let dropped = 0;

    const announce = (): void => {
      const h = floor.holder;
      ctx.broadcast("talk.state", (s: ControlSession) => ({ by: h?.label ?? null, you: h !== null && h.sessionId === s.sessionId }));
    };

    const released = (sessionId: string, why: string): void => {
      if (idleTimer) clearInterval(idleTimer);
      idleTimer = null;
      const b = burst;
      burst = null;
      void b?.end().catch(() => {});
      log.info({ event: "feature", feature: "talk", action: "floor_released", sessionId, detail: why });
      announce();
    };

    const offAudio = o.audio.listen((sessionId, rtp) => {
      if (floor.audio(sessionId, now())) burst?.write(rtp);
      else if (dropped++ % 250 === 0) {
        // Someone without the floor is sending (a stale track, or a client that skipped talk.start).
        log.debug({ event: "feature", feature: "talk", action: "audio_dropped", sessionId, detail: `${dropped} packets` });
      }
    });

    const sink = o.sink;
    return {
      name: "talk",
      features: sink ? { talk: true } : { talk: false, ...(o.note ? { notes: [o.note] } : {}) },
      handlers: {
        "talk.start": async (_params, session) => {
          if (!sink) throw ControlFailure.unsupported(o.note ?? "This camera has no speaker to talk through.");
          const r = floor.request(session.sessionId, session.label, now());
          if (!r.ok) throw ControlFailure.busy(`${r.holder} is talking.`);
          if (r.changed) {
            burst = sink.open({ sessionId: session.sessionId, label: session.label, startedAt: now() });
            idleTimer = setInterval(() => {
              const gone = floor.expire(now());
              if (gone) released(gone.sessionId, "no audio");
            }, IDLE_CHECK_MS);
            log.info({ event: "feature", feature: "talk", action: "floor_taken", sessionId: session.sessionId, detail: sink.description });
            announce();
          }
          return {};
        },
        "talk.stop": async (_params, session) => {
          // Idempotent: stopping after the floor expired (or never having it) is not an error.
          if (floor.release(session.sessionId)) released(session.sessionId, "stopped");
          return {};
        },
      },
      onSessionClose(session) {
        if (floor.release(session.sessionId)) released(session.sessionId, "session closed");
      },
      async stop() {
        offAudio();
        if (idleTimer) clearInterval(idleTimer);
        idleTimer = null;
        await burst?.end().catch(() => {});
        burst = null;
      },
    };
  };
}
