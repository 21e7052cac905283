// Why: moves one codec's packets from the hub to one session's RTP sender: first the replay
// burst since the last keyframe (paced over a few tens of ms so it doesn't overrun socket or
// receiver buffers), then live packets. The session sees one RTP stream whatever happens behind
// it: its own continuous sequence numbers (RFC 3550 §5.1), and timestamps rebased to stay
// monotonic when the packets' timeline changes — a quality switch (SD ↔ HD are separate
// encoders) or an encoder restart (new random base). The switch happens at the new stream's
// next keyframe, so the browser's decoder never sees a frame it cannot decode; a new SPS/VP8
// keyframe header carries the new resolution, no renegotiation needed.
import { RtpHeader, RtpPacket } from "werift";
import type { Quality } from "../../../protocol/index.ts";
import type { MediaHub, Subscription } from "../media/media-hub.ts";
import { RTP_CLOCK_RATE, type MediaCodec, type MediaPacket } from "../media/packet.ts";

export interface TrackFeedOptions {
  hub: MediaHub;
  codec: MediaCodec;
  /** The stream quality to start on (video; default the hub's default). */
  quality?: Quality;
  /** Writes one RTP packet (werift rewrites SSRC and payload type to the negotiated ones). */
  send: (packet: RtpPacket) => unknown;
  /** Spread the replay burst over about this long. */
  replayWindowMs?: number;
  random?: () => number;
  now?: () => number;
}

export interface TrackFeed {
  /** Packets in the replay burst this feed started with. */
  readonly replayed: number;
  /** Packets written so far. */
  readonly sent: number;
  /** The quality being sent now. */
  readonly quality: Quality;
  /**
   * Switches to another quality at its next keyframe; resolves once that keyframe was sent.
   * Rejects after `timeoutMs` without one (the feed stays on the old quality). A newer call
   * supersedes a pending one.
   */
  setQuality(quality: Quality, timeoutMs?: number): Promise<void>;
  /**
   * The viewer's decoder lost a reference (PLI, RFC 4585 §6.3.1) and werift cannot make the
   * encoder send a keyframe: resend the current stream's frames since its last keyframe, each
   * one RTP tick after the other so they decode at once without moving the stream's clock (live
   * packets go on right after). Returns the packets resent (0: nothing cached, or busy).
   */
  resendFromKeyframe(): number;
  stop(): void;
}

const REPLAY_SLICES = 8;

/**
 * Rebases packet timestamps onto one monotonic output clock across timeline changes. A timeline
 * is the pair (stream, generation) — compared as two values, not a joined string key, because
 * this runs for every RTP packet of every session.
 */
export function createTimestampRebaser(clockRate: number, now: () => number): (timestamp: number, stream: string, generation: number) => number {
  let started = false;
  let curStream = "";
  let curGeneration = 0;
  let offset = 0;
  let lastOut = 0;
  let lastOutAt = 0;
  return (timestamp, stream, generation) => {
    if (!started) {
      started = true;
      curStream = stream;
      curGeneration = generation;
    } else if (stream !== curStream || generation !== curGeneration) {
      // New timeline: continue from the last sent timestamp plus the wall time since it (at
      // least one tick), so playout timing stays real and never goes backwards.
      const elapsed = Math.max(1, Math.round(((now() - lastOutAt) * clockRate) / 1000));
      offset = (lastOut + elapsed - timestamp) >>> 0;
      curStream = stream;
      curGeneration = generation;
    }
    const out = (timestamp + offset) >>> 0;
    lastOutAt = now();
    lastOut = out;
    return out;
  };
}

export function startTrackFeed(options: TrackFeedOptions): TrackFeed {
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => performance.now());
  const windowMs = options.replayWindowMs ?? 40;
  const hub = options.hub;
  // RFC 3550 §5.1: the initial sequence number should be random.
  let seq = Math.floor(random() * 0x10000);
  let sent = 0;
  let stopped = false;
  let replaying = true;
  const backlog: MediaPacket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const rebase = createTimestampRebaser(RTP_CLOCK_RATE[options.codec], now);
  let quality: Quality = options.quality ?? hub.qualities[0] ?? "sd";

  /** `as`: write under another timeline (0: the start's replay, n: resend n), with its own timestamp. */
  const write = (p: MediaPacket, as?: { resend: number; timestamp: number }): void => {
    if (stopped) return;
    const timestamp = as ? rebase(as.timestamp, "resend", as.resend) : rebase(p.timestamp, p.quality ?? "sd", p.timeline ?? 0);
    const header = new RtpHeader({ sequenceNumber: seq, timestamp, marker: p.marker, payloadType: 96 });
    seq = (seq + 1) & 0xffff;
    sent++;
    try {
      const r = options.send(new RtpPacket(header, p.payload));
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      /* a send failure is the transport's business; the session watches its state */
    }
  };

  let sub: Subscription = hub.subscribe(
    options.codec,
    (p) => {
      if (replaying) backlog.push(p);
      else write(p);
    },
    { quality },
  );
  const replay = sub.replay;

  const finishReplay = (): void => {
    for (const p of backlog.splice(0)) write(p);
    replaying = false;
  };

  /**
   * Writes the frames of a replayed GOP one RTP tick apart under their own timeline, starting at
   * `base`. With their own timestamps a GOP's two seconds of frames would arrive within
   * `windowMs`: the browser's clock estimate (RTP timestamp → arrival time) learns a wrong rate
   * from that and, for many seconds after, takes live frames for late ones and plays them with no
   * buffer at all — so a repair after a lost packet (one round trip) shows as a freeze even when
   * the viewer asked for a jitter buffer (bench/loss.ts: jitterBufferDelay fell from 300 ms to
   * under 10 ms within 5 s of the start). One tick apart, they decode at once and the live
   * frames after them continue the clock by wall time (createTimestampRebaser).
   */
  const replayWriter = (timeline: number, base: number) => {
    let frame = 0;
    let frameTs: number | undefined;
    return (p: MediaPacket): void => {
      if (frameTs !== undefined && p.timestamp !== frameTs) frame++;
      frameTs = p.timestamp;
      write(p, { resend: timeline, timestamp: (base + frame) >>> 0 });
    };
  };

  if (replay.length === 0) finishReplay();
  else {
    const perSlice = Math.ceil(replay.length / REPLAY_SLICES);
    const slices = Math.ceil(replay.length / perSlice);
    const gap = windowMs / slices;
    // RFC 3550 §5.1: a random initial timestamp.
    const writeReplayed = replayWriter(0, Math.floor(random() * 0x1_0000_0000));
    // The first slice (the keyframe's start) goes at once: it is what the viewer waits for.
    for (let i = 0; i < slices; i++) {
      const run = (): void => {
        for (const p of replay.slice(i * perSlice, (i + 1) * perSlice)) writeReplayed(p);
        if (i === slices - 1) finishReplay();
      };
      if (i === 0) run();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          run();
        }, gap * i);
        timers.add(t);
      }
    }
  }

  let resends = 0;
  const resend = (gop: MediaPacket[]): void => {
    const writeResent = replayWriter(++resends, 0);
    const slices = Math.min(REPLAY_SLICES, gop.length);
    const perSlice = Math.ceil(gop.length / slices);
    replaying = true;
    for (let i = 0; i * perSlice < gop.length; i++) {
      const run = (): void => {
        for (const p of gop.slice(i * perSlice, (i + 1) * perSlice)) writeResent(p);
        if ((i + 1) * perSlice >= gop.length) finishReplay();
      };
      // Paced like the first replay: a GOP can be hundreds of packets.
      if (i === 0) run();
      else {
        const t = setTimeout(() => {
          timers.delete(t);
          run();
        }, (windowMs / slices) * i);
        timers.add(t);
      }
    }
  };

  /** A switch in progress: subscribed to the new quality, waiting for its keyframe. */
  let pending: { quality: Quality; sub: Subscription; settle(error?: Error): void } | undefined;

  return {
    replayed: replay.length,
    get sent() {
      return sent;
    },
    get quality() {
      return quality;
    },
    setQuality(next, timeoutMs = 10_000) {
      if (stopped) return Promise.reject(new Error("feed stopped"));
      pending?.settle(new Error("superseded by another quality change"));
      if (next === quality) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let switched = false;
        const timer = setTimeout(() => entry.settle(new Error(`no ${next} keyframe within ${timeoutMs} ms`)), timeoutMs);
        const entry = {
          quality: next,
          sub: undefined as unknown as Subscription,
          settle(error?: Error) {
            clearTimeout(timer);
            if (pending === entry) pending = undefined;
            if (error) {
              if (!switched) entry.sub.unsubscribe();
              reject(error);
            } else resolve();
          },
        };
        pending = entry;
        entry.sub = hub.subscribe(
          options.codec,
          (p) => {
            if (switched) return write(p);
            if (pending !== entry || !p.keyframeStart || replaying) return;
            // The new quality's keyframe: drop the old stream, send this one from here on.
            switched = true;
            sub.unsubscribe();
            sub = entry.sub;
            quality = next;
            write(p);
            entry.settle();
          },
          { quality: next, replay: false },
        );
      });
    },
    resendFromKeyframe() {
      if (stopped || replaying || pending) return 0;
      const gop = hub.snapshot(options.codec, quality);
      if (gop.length === 0) return 0;
      resend(gop);
      return gop.length;
    },
    stop() {
      stopped = true;
      pending?.settle(new Error("feed stopped"));
      sub.unsubscribe();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      backlog.length = 0;
    },
  };
}
