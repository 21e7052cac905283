// Why: snapshot.take — a JPEG of the camera's current frame, made on the agent and sent over the
// viewer's bulk data channel, so it works on every path (LAN, punched, relayed) and never
// touches the edge. It is taken from the stream the viewer watches (SD or HD: that stream's
// keyframe cache is warm, and the still matches the picture they see). One ffmpeg run serves
// every viewer asking for the same stream at the same moment; each viewer has at most one
// snapshot in flight, so a held-down button cannot queue decodes.
import { ffmpegAvailable } from "../../media/ffmpeg-source.ts";
import type { Quality } from "../../../../protocol/index.ts";
import type { MediaHub } from "../../media/media-hub.ts";
import type { MediaPacket } from "../../media/packet.ts";
import type { FeatureFactory } from "../camera-controls.ts";
import { ControlFailure } from "../control-failure.ts";
import type { ControlSession } from "../control-session.ts";
import { encodeLastFrameJpeg } from "./ffmpeg-jpeg.ts";
import { gopToAnnexB, type GopStream } from "./gop-annexb.ts";
import { looksLikeJpeg, readJpegInfo } from "./jpeg-info.ts";

/**
 * Transfer ids of snapshots: a per-session counter in their own range, so they never collide
 * with other features' transfers (recordings) on the same bulk channel, whose ids the viewer
 * keys reassembly on.
 */
export const SNAPSHOT_TRANSFER_BASE = 0x4000_0000;

export const SNAPSHOT_NOTE_NO_FFMPEG = "Snapshots need ffmpeg on the camera host (Debian package ffmpeg).";
export const SNAPSHOT_NOTE_NO_H264 = "Snapshots need an H.264 video source.";

export interface SnapshotFeatureOptions {
  hub: MediaHub;
  /** Whether ffmpeg runs on this host; probed once when omitted. */
  ffmpeg?: boolean;
  /** GOP → JPEG; ffmpeg unless a test injects its own. */
  encode?: (gop: GopStream) => Promise<Buffer>;
  /** How long to wait for a keyframe when the cache has none yet (the source just started). */
  keyframeWaitMs?: number;
}

interface Shot {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** The packets from the newest keyframe of one stream, waiting for one to complete if the cache
 * is empty (the source just started, or this quality was just switched on). Also the motion
 * events' thumbnails (motion/). */
export function currentGop(hub: MediaHub, quality: Quality, waitMs: number): Promise<GopStream> {
  return new Promise((resolve, reject) => {
    let collected: MediaPacket[] | null = null;
    let settled = false;
    const finish = (gop: GopStream | null, error?: ControlFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub.unsubscribe();
      if (gop) resolve(gop);
      else reject(error);
    };
    // The hub keys streams by quality: every packet and the replay are already this quality's.
    const sub = hub.subscribe("H264", (p) => {
      if (p.keyframeStart) collected = [];
      if (!collected) return;
      collected.push(p);
      if (p.marker) {
        const gop = gopToAnnexB(collected);
        if (gop) finish(gop);
      }
    }, { quality });
    const timer = setTimeout(() => finish(null, new ControlFailure("timeout", "the camera has no picture to take yet (no keyframe)")), waitMs);
    // The replay is the cache as of now: usually all we need, and we unsubscribe at once.
    const gop = gopToAnnexB(sub.replay);
    if (gop) finish(gop);
  });
}

export function snapshotFeature(o: SnapshotFeatureOptions): FeatureFactory {
  return (ctx) => {
    const h264 = o.hub.source.videoCodecs.includes("H264");
    const ffmpeg = o.ffmpeg ?? (h264 ? ffmpegAvailable() : false);
    const note = !h264 ? SNAPSHOT_NOTE_NO_H264 : !ffmpeg ? SNAPSHOT_NOTE_NO_FFMPEG : null;
    const encode = o.encode ?? ((gop: GopStream) => encodeLastFrameJpeg(gop));
    const perSession = new Map<ControlSession, { next: number; busy: boolean }>();
    const running = new Map<Quality, Promise<Shot>>();

    const make = async (quality: Quality): Promise<Shot> => {
      const gop = await currentGop(o.hub, quality, o.keyframeWaitMs ?? 3_000);
      const jpeg = await encode(gop);
      const info = readJpegInfo(jpeg);
      if (!info || !looksLikeJpeg(jpeg)) throw new ControlFailure("internal", "the encoder did not produce a JPEG");
      return { jpeg, width: info.width, height: info.height };
    };
    // Viewers asking while a decode of their stream runs share its result: the frame is at most
    // one decode old.
    const shared = (quality: Quality): Promise<Shot> => {
      let p = running.get(quality);
      if (!p) {
        p = make(quality).finally(() => running.delete(quality));
        running.set(quality, p);
      }
      return p;
    };

    return {
      name: "snapshot",
      features: note ? { snapshot: false, notes: [note] } : { snapshot: true },
      handlers: {
        "snapshot.take": async (_params, session) => {
          if (note) throw ControlFailure.unsupported(note);
          let mine = perSession.get(session);
          if (!mine) perSession.set(session, (mine = { next: 0, busy: false }));
          if (mine.busy) throw ControlFailure.busy("Your previous snapshot is still being made; try again when it has arrived.");
          mine.busy = true;
          const t0 = performance.now();
          try {
            const quality = o.hub.qualities.includes(session.stream.quality) ? session.stream.quality : (o.hub.qualities[0] ?? "sd");
            const shot = await shared(quality);
            const transfer = SNAPSHOT_TRANSFER_BASE + (mine.next++ % SNAPSHOT_TRANSFER_BASE);
            // Frames go first; the viewer holds them until the reply names the transfer.
            await session.sendBulk(transfer, shot.jpeg);
            ctx.logger.info({
              event: "feature",
              feature: "snapshot",
              action: "taken",
              sessionId: session.sessionId,
              detail: `${quality} ${shot.width}x${shot.height} ${shot.jpeg.length} B ${Math.round(performance.now() - t0)} ms`,
            });
            return { transfer, bytes: shot.jpeg.length, mime: "image/jpeg", width: shot.width, height: shot.height };
          } finally {
            mine.busy = false;
          }
        },
      },
      onSessionClose(session) {
        perSession.delete(session);
      },
    };
  };
}
