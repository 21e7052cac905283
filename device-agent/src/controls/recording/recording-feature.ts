// Why: recordings over the data channel. The owner's setting decides when the recorder runs
// (continuous, on demand between recordings.start/stop, or off); viewers with `playback` list
// segments by time range and fetch one as fMP4 bytes on the bulk channel, which the PWA feeds to
// Media Source Extensions. Retention deletes the oldest finished segments beyond the size limit.
import path from "node:path";
import type { RecordingState } from "../../../../protocol/index.ts";
import type { MediaHub } from "../../media/media-hub.ts";
import type { FeatureFactory } from "../camera-controls.ts";
import { ControlFailure } from "../control-failure.ts";
import type { ControlSession } from "../control-session.ts";
import type { SettingsStore } from "../settings/settings-store.ts";
import { mp4MimeType } from "./fmp4-scan.ts";
import { startRecorder, type Recorder } from "./recorder.ts";
import { retentionVictims, segmentsInRange } from "./segment-index.ts";
import { isSegmentIdShape, RECORDINGS_DIR } from "./segment-names.ts";
import { openSegmentStore } from "./segment-store.ts";

/** Recording transfers use ids [0x2000_0000, 0x4000_0000): apart from snapshots (0x4000_0000 up)
 * on the same bulk channel. */
export const RECORDING_TRANSFER_BASE = 0x2000_0000;

export interface RecordingFeatureOptions {
  dataDir: string;
  hub: MediaHub;
  settings: SettingsStore;
  segmentMs?: number;
  now?: () => number;
  /** Told whenever the recorder starts or stops (motion events note the recorded span). */
  onActive?: (active: boolean) => void;
}

export function recordingFeature(o: RecordingFeatureOptions): FeatureFactory {
  return (ctx) => {
    const log = (action: string, detail?: string, sessionId?: string): void =>
      ctx.logger.info({ event: "feature", feature: "recording", action, ...(sessionId ? { sessionId } : {}), ...(detail ? { detail } : {}) });
    const canRecord = o.hub.source.videoCodecs.includes("H264");
    if (!canRecord) {
      return {
        name: "recording",
        handlers: {},
        features: { recording: false, notes: ["Recording needs an H.264 source."] },
      };
    }
    const store = openSegmentStore(path.join(o.dataDir, RECORDINGS_DIR));
    const salvage = store.recoverParts();
    if (salvage.salvaged.length + salvage.removed.length > 0) {
      log("recovered_parts", `salvaged ${salvage.salvaged.map((s) => s.id).join(",") || "none"}; removed ${salvage.removed.join(",") || "none"}`);
    }

    let recorder: Recorder | null = null;
    let onDemand = false;
    let closed = false;
    let transition: Promise<void> = Promise.resolve();
    const transfers = new WeakMap<ControlSession, number>();

    const state = (): RecordingState => ({ mode: o.settings.get().recording.mode, active: recorder !== null });

    const applyRetention = (): void => {
      const limit = o.settings.get().recording.retentionMb * 1024 * 1024;
      const victims = retentionVictims(store.list(), limit, recorder?.activeBytes() ?? 0);
      if (victims.length === 0) return;
      store.remove(victims);
      log("retention_deleted", victims.map((s) => s.id).join(",").slice(0, 200));
    };

    /** Starts or stops the recorder to match the mode (serialized: stop awaits the last write). */
    const reconcile = (): Promise<void> => {
      transition = transition.then(async () => {
        const mode = o.settings.get().recording.mode;
        if (mode !== "on-demand") onDemand = false;
        const want = !closed && (mode === "continuous" || (mode === "on-demand" && onDemand));
        const before = recorder !== null;
        if (want && !recorder) {
          recorder = startRecorder({ store, hub: o.hub, logger: ctx.logger, ...(o.segmentMs ? { segmentMs: o.segmentMs } : {}), ...(o.now ? { now: o.now } : {}), onSegment: applyRetention });
        } else if (!want && recorder) {
          const r = recorder;
          recorder = null;
          await r.stop();
        }
        if (before !== (recorder !== null)) {
          o.onActive?.(recorder !== null);
          log(recorder ? "started" : "stopped", mode);
          ctx.broadcast("recording.state", state());
        }
      });
      return transition;
    };

    const offSettings = o.settings.onChange((next, prev) => {
      if (next.recording.mode !== prev.recording.mode) {
        void reconcile();
        ctx.broadcast("recording.state", state());
      }
      if (next.recording.retentionMb !== prev.recording.retentionMb) applyRetention();
    });
    applyRetention();
    void reconcile();

    return {
      name: "recording",
      features: { recording: true },
      handlers: {
        "recordings.list": async ({ from, to }) => {
          if (!(to >= from)) throw ControlFailure.invalid("to", "must not be before from");
          return { segments: segmentsInRange(store.list(), from, to), state: state() };
        },
        "recordings.fetch": async ({ id }, session) => {
          if (!isSegmentIdShape(id)) throw ControlFailure.invalid("id", "is not a recording id");
          const bytes = await store.read(id);
          if (!bytes) throw ControlFailure.notFound(`No recording ${id} (it may have been deleted to make room).`);
          const n = (transfers.get(session) ?? 0) + 1;
          transfers.set(session, n);
          const transfer = RECORDING_TRANSFER_BASE + ((n - 1) % RECORDING_TRANSFER_BASE);
          // Stream after the reply is on its way; the PWA also buffers frames that come first.
          setImmediate(() => {
            session.sendBulk(transfer, bytes).catch((e: Error) => log("fetch_failed", e.message.slice(0, 200), session.sessionId));
          });
          log("fetch", `${id} ${bytes.length}B`, session.sessionId);
          return { transfer, bytes: bytes.length, mime: mp4MimeType(bytes) };
        },
        "recordings.start": async (_p, session) => {
          const mode = o.settings.get().recording.mode;
          if (mode === "off") throw new ControlFailure("invalid_value", "Recording is off: set the recording mode to on demand first.", "recording.mode");
          if (mode === "on-demand") onDemand = true;
          await reconcile();
          log("start_requested", mode, session.sessionId);
          return state();
        },
        "recordings.stop": async (_p, session) => {
          const mode = o.settings.get().recording.mode;
          if (mode === "continuous") throw new ControlFailure("invalid_value", "The camera records continuously: change the recording mode to stop it.", "recording.mode");
          onDemand = false;
          await reconcile();
          log("stop_requested", mode, session.sessionId);
          return state();
        },
      },
      onSessionOpen(session) {
        session.emit("recording.state", state());
      },
      async stop() {
        offSettings();
        closed = true;
        await reconcile();
      },
    };
  };
}
