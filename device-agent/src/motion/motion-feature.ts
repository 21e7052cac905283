// Why: motion events end to end on the camera, as one control feature: grey frames from the SD
// stream are compared (frame-difference, zone-mask), cut into events (event-cutter), stored with
// a JPEG made the way snapshots are (event-store), and offered to viewers with `playback` —
// events.list by time range on the control channel, events.thumbnail on the bulk channel. The
// edge is told only that an event started (id, kind, time), never shown a picture. The logic
// lives in the pure files beside this one; this is the wiring.
import path from "node:path";
import { can, type MotionEvent, type MotionSettings } from "../../../protocol/index.ts";
import type { FeatureFactory } from "../controls/camera-controls.ts";
import { ControlFailure } from "../controls/control-failure.ts";
import type { ControlSession } from "../controls/control-session.ts";
import type { SettingsStore } from "../controls/settings/settings-store.ts";
import { DEFAULT_MOTION_SETTINGS } from "../controls/settings/settings-store.ts";
import { encodeLastFrameJpeg } from "../controls/snapshot/ffmpeg-jpeg.ts";
import { looksLikeJpeg, readJpegInfo } from "../controls/snapshot/jpeg-info.ts";
import { currentGop } from "../controls/snapshot/snapshot-feature.ts";
import { ffmpegAvailable } from "../media/ffmpeg-source.ts";
import type { MediaHub } from "../media/media-hub.ts";
import { createEventCutter, type CutterOptions, type EventCutter } from "./event-cutter.ts";
import { DEFAULT_EVENT_RETENTION, type RetentionLimits } from "./event-retention.ts";
import { EVENTS_DIR, openEventStore } from "./event-store.ts";
import { changedFraction, motionThreshold } from "./frame-difference.ts";
import { GRAY_HEIGHT, GRAY_WIDTH, startGrayFrames, type GrayFrames } from "./gray-frames.ts";
import { zoneMask } from "./zone-mask.ts";

/** Event thumbnails use bulk transfer ids [0x1000_0000, 0x2000_0000): below recordings and snapshots. */
export const EVENT_TRANSFER_BASE = 0x1000_0000;
export const DEFAULT_EVENTS_LIMIT = 100;

export const MOTION_NOTE_NO_FFMPEG = "Motion detection needs ffmpeg on the camera host (Debian package ffmpeg).";
export const MOTION_NOTE_NO_H264 = "Motion detection needs an H.264 video source.";

export interface Thumbnail {
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface MotionFeatureOptions {
  dataDir: string;
  hub: MediaHub;
  settings: SettingsStore;
  /** Whether the recorder runs now: an event then names its recorded span. */
  recordingActive?: () => boolean;
  /** Whether ffmpeg runs on this host; probed once when omitted. */
  ffmpeg?: boolean;
  /** Starts the grey frame feed; ffmpeg on the SD stream unless a test injects frames. */
  frames?: (onFrame: (frame: Uint8Array, at: number) => void) => GrayFrames;
  /** The event's JPEG: the snapshot path (newest SD frame through ffmpeg) unless injected. */
  thumbnail?: () => Promise<Thumbnail>;
  retention?: RetentionLimits;
  cutter?: Omit<CutterOptions, "threshold">;
  now?: () => number;
}

export function motionFeature(o: MotionFeatureOptions): FeatureFactory {
  return (ctx) => {
    const log = (action: string, detail?: string, sessionId?: string): void =>
      ctx.logger.info({ event: "feature", feature: "motion", action, ...(sessionId ? { sessionId } : {}), ...(detail ? { detail: detail.slice(0, 200) } : {}) });
    const h264 = o.hub.source.videoCodecs.includes("H264");
    const ffmpeg = o.ffmpeg ?? (h264 && !o.frames ? ffmpegAvailable() : true);
    const note = !h264 ? MOTION_NOTE_NO_H264 : !ffmpeg ? MOTION_NOTE_NO_FFMPEG : null;
    if (note) return { name: "motion", handlers: {}, features: { motion: false, notes: [note] } };

    const now = o.now ?? Date.now;
    const limits = o.retention ?? DEFAULT_EVENT_RETENTION;
    const store = openEventStore(path.join(o.dataDir, EVENTS_DIR), (why) => log("corrupt_index_reset", why));
    const motion = (): MotionSettings => o.settings.get().motion ?? DEFAULT_MOTION_SETTINGS;
    const quality = o.hub.qualities[0] ?? "sd";
    const fps = o.hub.source.profile?.(quality).fps ?? 15;
    const makeThumbnail =
      o.thumbnail ??
      (async (): Promise<Thumbnail> => {
        const jpeg = await encodeLastFrameJpeg(await currentGop(o.hub, quality, 3_000), { quality: 5 });
        const info = readJpegInfo(jpeg);
        if (!info || !looksLikeJpeg(jpeg)) throw new Error("the encoder did not produce a JPEG");
        return { jpeg, width: info.width, height: info.height };
      });

    let mask = zoneMask(GRAY_WIDTH, GRAY_HEIGHT, motion().zones);
    let cutter: EventCutter = createEventCutter({ ...o.cutter, threshold: motionThreshold(motion().sensitivity) });
    let prev: Uint8Array | null = null;
    let frames: GrayFrames | null = null;
    /** The open event's id. */
    let open: string | null = null;
    const transfers = new WeakMap<ControlSession, number>();

    const tell = (e: MotionEvent | null): void => {
      if (e) ctx.broadcast("motion.event", e, (s) => can(s.role, "playback"));
    };
    const retention = (): void => {
      const gone = store.applyRetention(now(), limits);
      if (gone.length) log("retention_deleted", gone.join(","));
    };

    const started = (start: number): void => {
      const e = store.add(start, o.recordingActive?.() ? { from: start, to: start } : null);
      open = e.id;
      log("event_start", `${e.id} at ${new Date(start).toISOString()}`);
      ctx.cameraEvent?.({ id: e.id, kind: "motion", startedAt: new Date(start).toISOString() });
      tell(e);
      makeThumbnail()
        .then((t) => {
          tell(store.setThumbnail(e.id, t.jpeg, t.width, t.height));
          log("event_thumbnail", `${e.id} ${t.width}x${t.height} ${t.jpeg.length} B`);
        })
        .catch((err: Error) => log("event_thumbnail_failed", `${e.id}: ${err.message}`));
      retention();
    };
    const ended = (start: number, end: number): void => {
      const id = open;
      open = null;
      if (!id) return;
      const was = store.get(id);
      const recorded = was?.recording || o.recordingActive?.();
      tell(store.update(id, { end, recording: recorded ? { from: start, to: end } : null }));
      log("event_end", `${id} ${Math.round((end - start) / 100) / 10} s`);
    };
    const act = (actions: ReturnType<EventCutter["push"]>): void => {
      for (const a of actions) {
        try {
          if (a.type === "start") started(a.start);
          else ended(a.start, a.end);
        } catch (e) {
          log("event_failed", (e as Error).message);
        }
      }
    };

    const onFrame = (frame: Uint8Array, at: number): void => {
      if (prev) act(cutter.push(changedFraction(prev, frame, mask), at));
      prev = frame;
    };
    const startFrames = (): GrayFrames =>
      o.frames ? o.frames(onFrame) : startGrayFrames({ hub: o.hub, quality, fps, onFrame, logger: ctx.logger });
    const reconcile = (): void => {
      const want = motion().enabled;
      if (want && !frames) {
        prev = null;
        frames = startFrames();
        log("detector_started", `sensitivity ${motion().sensitivity}, ${motion().zones.length} zone(s)`);
      } else if (!want && frames) {
        const f = frames;
        frames = null;
        void f.stop();
        act(cutter.finish());
        log("detector_stopped");
      }
    };

    const offSettings = o.settings.onChange((next, prevSettings) => {
      const a = next.motion ?? DEFAULT_MOTION_SETTINGS;
      const b = prevSettings.motion ?? DEFAULT_MOTION_SETTINGS;
      if (JSON.stringify(a.zones) !== JSON.stringify(b.zones)) mask = zoneMask(GRAY_WIDTH, GRAY_HEIGHT, a.zones);
      if (a.sensitivity !== b.sensitivity && cutter.open === null) cutter = createEventCutter({ ...o.cutter, threshold: motionThreshold(a.sensitivity) });
      if (a.enabled !== b.enabled) reconcile();
    });
    retention();
    // Age limits also apply on a quiet camera that cuts no new events.
    const retentionTimer = setInterval(retention, 3600_000);
    retentionTimer.unref();
    reconcile();

    return {
      name: "motion",
      features: { motion: true },
      handlers: {
        "events.list": async ({ from, to, limit }) => {
          if (!(to >= from)) throw ControlFailure.invalid("to", "must not be before from");
          return store.list(from, to, limit ?? DEFAULT_EVENTS_LIMIT);
        },
        "events.thumbnail": async ({ id }, session) => {
          const e = store.get(id);
          if (!e) throw ControlFailure.notFound(`No event ${id} (it may have been deleted to make room).`);
          const jpeg = e.thumbnail ? store.readThumbnail(id) : null;
          if (!jpeg || !e.thumbnail) throw ControlFailure.notFound(`Event ${id} has no picture${e.end === null ? " yet" : ""}.`);
          const n = transfers.get(session) ?? 0;
          transfers.set(session, n + 1);
          const transfer = EVENT_TRANSFER_BASE + (n % EVENT_TRANSFER_BASE);
          // Frames go first; the viewer holds them until the reply names the transfer (as snapshots).
          await session.sendBulk(transfer, jpeg);
          return { transfer, bytes: jpeg.length, mime: "image/jpeg", width: e.thumbnail.width, height: e.thumbnail.height };
        },
      },
      async stop() {
        offSettings();
        clearInterval(retentionTimer);
        const f = frames;
        frames = null;
        await f?.stop();
        act(cutter.finish());
      },
    };
  };
}
