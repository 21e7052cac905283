// Why: records the camera's H.264 (and Opus) from the media hub into ~N-second fMP4 segments,
// cut at keyframes so every segment starts decodable. Wall-clock times come from mapping RTP
// timestamps to the arrival clock once and then following the RTP clock, so consecutive
// segments join exactly (end of one = start of the next) unless the source jumps.
import type { RecordingSegment } from "../../../../protocol/index.ts";
import type { Logger } from "../../log.ts";
import { NAL_PPS, NAL_SEI, NAL_SPS, nalType } from "../../media/annexb-reader.ts";
import type { MediaHub } from "../../media/media-hub.ts";
import type { MediaPacket } from "../../media/packet.ts";
import { createH264Depacketizer, type AccessUnit } from "../../rtp/h264-depacketizer.ts";
import { AUDIO_TIMESCALE, VIDEO_TIMESCALE } from "./fmp4-boxes.ts";
import { parseSps } from "./h264-sps.ts";
import { createSegmentMuxer, rtpDelta, type SegmentMuxer } from "./segment-muxer.ts";
import type { PartWriter, SegmentStore } from "./segment-store.ts";

export const DEFAULT_SEGMENT_MS = 10_000;
/** A timestamp jump beyond this (source restart, long stall) ends the segment. */
const MAX_FRAME_GAP_TICKS = 5 * VIDEO_TIMESCALE;
/** Re-anchor RTP to the wall clock when they disagree by more than this. */
const MAX_CLOCK_SKEW_MS = 1000;
const TICKS_PER_MS = VIDEO_TIMESCALE / 1000;

export interface RecorderOptions {
  store: SegmentStore;
  hub: MediaHub;
  logger: Logger;
  /** Target segment length; a segment ends at the first keyframe after it (default 10 s). */
  segmentMs?: number;
  now?: () => number;
  /** A segment was finished and listed (retention runs here). */
  onSegment?(segment: RecordingSegment): void;
}

export interface Recorder {
  /** Bytes of the segment being written (counted against retention). */
  activeBytes(): number;
  /** Ends the current segment cleanly and stops listening to the hub. */
  stop(): Promise<void>;
}

interface OpenSegment {
  muxer: SegmentMuxer;
  part: PartWriter;
  start: number;
  sps: Buffer;
  pps: Buffer;
  lastTs: number;
}

const isSlice = (n: Buffer): boolean => {
  const t = nalType(n);
  return t >= 1 && t <= 5;
};

export function startRecorder(o: RecorderOptions): Recorder {
  const now = o.now ?? Date.now;
  const segmentMs = o.segmentMs ?? DEFAULT_SEGMENT_MS;
  const withAudio = o.hub.source.audio;
  const depack = createH264Depacketizer();
  let sps: Buffer | null = null;
  let pps: Buffer | null = null;
  /** The newest video packet's RTP time and when it arrived. */
  let clock: { ts: number; wall: number } | null = null;
  let audioAnchor: { rtp: number; videoTicks: number } | null = null;
  let current: OpenSegment | null = null;
  /** Where the previous segment ended, to join the next one to it. */
  let joinAt: { ts: number; wall: number } | null = null;
  const finishing = new Set<Promise<void>>();
  let stopped = false;

  const wallOf = (ts: number): number => clock!.wall + rtpDelta(ts, clock!.ts) / TICKS_PER_MS;

  const close = (seg: OpenSegment, endTs?: number): void => {
    const tail = seg.muxer.finish(endTs);
    if (tail) seg.part.append(tail, false);
    const end = seg.start + seg.muxer.ticks / TICKS_PER_MS;
    joinAt = { ts: seg.muxer.firstTs + seg.muxer.ticks, wall: end };
    const p = seg.part
      .finish(Math.round(end))
      .then((s) => o.onSegment?.(s))
      .catch((e: Error) => o.logger.warn({ event: "feature", feature: "recording", action: "segment_failed", detail: e.message.slice(0, 200) }))
      .finally(() => finishing.delete(p));
    finishing.add(p);
  };

  const open = (au: AccessUnit, slices: Buffer[]): void => {
    if (!sps || !pps) return;
    let info;
    try {
      info = parseSps(sps);
    } catch (e) {
      o.logger.warn({ event: "feature", feature: "recording", action: "bad_sps", detail: (e as Error).message });
      return;
    }
    // Join to the previous segment when the RTP clock continues it; else the arrival clock.
    const byClock = wallOf(au.timestamp);
    const joined = joinAt && rtpDelta(au.timestamp, joinAt.ts) === 0 ? joinAt.wall : null;
    const start = Math.round(joined !== null && Math.abs(joined - byClock) < MAX_CLOCK_SKEW_MS ? joined : byClock);
    const muxer = createSegmentMuxer(
      { ts: au.timestamp, nals: slices, idr: true },
      { video: { sps, pps, width: info.width, height: info.height }, audio: withAudio ? { channels: 2 } : null },
    );
    let part: PartWriter;
    try {
      part = o.store.createPart(start);
    } catch (e) {
      o.logger.warn({ event: "feature", feature: "recording", action: "segment_failed", detail: (e as Error).message.slice(0, 200) });
      return;
    }
    part.append(muxer.init, false);
    current = { muxer, part, start, sps, pps, lastTs: au.timestamp };
  };

  const onAccessUnit = (au: AccessUnit): void => {
    for (const n of au.nals) {
      const t = nalType(n);
      if (t === NAL_SPS) sps = Buffer.from(n);
      else if (t === NAL_PPS) pps = Buffer.from(n);
    }
    const slices = au.nals.filter((n) => isSlice(n) || nalType(n) === NAL_SEI);
    if (!slices.some(isSlice)) return;
    if (current) {
      const gap = rtpDelta(au.timestamp, current.lastTs);
      if (gap <= 0 || gap > MAX_FRAME_GAP_TICKS) {
        // The source restarted or stalled: end here, start again at its next keyframe.
        close(current);
        current = null;
        joinAt = null;
      } else if (au.idr) {
        const elapsedMs = rtpDelta(au.timestamp, current.muxer.firstTs) / TICKS_PER_MS;
        const newParams = (sps && !sps.equals(current.sps)) || (pps && !pps.equals(current.pps));
        if (elapsedMs >= segmentMs || newParams) {
          close(current, au.timestamp);
          current = null;
        }
      }
    }
    if (!current) {
      if (au.idr) open(au, slices);
      return;
    }
    current.lastTs = au.timestamp;
    const frag = current.muxer.pushVideo({ ts: au.timestamp, nals: slices, idr: au.idr });
    if (frag) current.part.append(frag, true);
  };

  const onVideo = (p: MediaPacket): void => {
    if (stopped) return;
    clock = { ts: p.timestamp, wall: now() };
    for (const au of depack.push(p.payload, p.timestamp, p.marker)) onAccessUnit(au);
  };

  const onAudio = (p: MediaPacket): void => {
    if (stopped || !current || !clock) return;
    // Where this packet sits on the video RTP clock: anchored by arrival once, then by RTP.
    const arrivalTicks = clock.ts + (now() - clock.wall) * TICKS_PER_MS;
    const fromAnchor = audioAnchor ? audioAnchor.videoTicks + (rtpDelta(p.timestamp, audioAnchor.rtp) * VIDEO_TIMESCALE) / AUDIO_TIMESCALE : NaN;
    if (!audioAnchor || !(Math.abs(rtpDelta(Math.round(fromAnchor), Math.round(arrivalTicks))) < MAX_CLOCK_SKEW_MS * TICKS_PER_MS)) {
      audioAnchor = { rtp: p.timestamp, videoTicks: arrivalTicks };
    }
    const videoTicks = audioAnchor.videoTicks + (rtpDelta(p.timestamp, audioAnchor.rtp) * VIDEO_TIMESCALE) / AUDIO_TIMESCALE;
    const rel = rtpDelta(Math.round(videoTicks), current.muxer.firstTs);
    current.muxer.pushAudio(p.payload, Math.round((rel * AUDIO_TIMESCALE) / VIDEO_TIMESCALE));
  };

  const video = o.hub.subscribe("H264", onVideo);
  // The replay is the GOP so far: map its newest packet to "now", so the keyframe's wall time is
  // how long ago it was sent.
  const last = video.replay.at(-1);
  if (last) clock = { ts: last.timestamp, wall: now() };
  for (const p of video.replay) {
    for (const au of depack.push(p.payload, p.timestamp, p.marker)) onAccessUnit(au);
  }
  const audio = withAudio ? o.hub.subscribe("opus", onAudio) : null;

  return {
    activeBytes: () => current?.part.bytes ?? 0,
    async stop() {
      if (stopped) return;
      stopped = true;
      video.unsubscribe();
      audio?.unsubscribe();
      if (current) close(current);
      current = null;
      await Promise.allSettled([...finishing]);
    },
  };
}
