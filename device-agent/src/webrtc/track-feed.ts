// Why: moves one codec's packets from the hub to one session's RTP sender: first the replay
// burst since the last keyframe (paced over a few tens of ms so it doesn't overrun socket or
// receiver buffers), then live packets, with this session's own continuous sequence numbers.
import { RtpHeader, RtpPacket } from "werift";
import type { MediaHub } from "../media/media-hub.ts";
import type { MediaCodec, MediaPacket } from "../media/packet.ts";

export interface TrackFeedOptions {
  hub: MediaHub;
  codec: MediaCodec;
  /** Writes one RTP packet (werift rewrites SSRC and payload type to the negotiated ones). */
  send: (packet: RtpPacket) => unknown;
  /** Spread the replay burst over about this long. */
  replayWindowMs?: number;
  random?: () => number;
}

export interface TrackFeed {
  /** Packets in the replay burst this feed started with. */
  readonly replayed: number;
  /** Packets written so far. */
  readonly sent: number;
  stop(): void;
}

const REPLAY_SLICES = 8;

export function startTrackFeed(options: TrackFeedOptions): TrackFeed {
  const random = options.random ?? Math.random;
  const windowMs = options.replayWindowMs ?? 40;
  // RFC 3550 §5.1: the initial sequence number should be random.
  let seq = Math.floor(random() * 0x10000);
  let sent = 0;
  let stopped = false;
  let replaying = true;
  const backlog: MediaPacket[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const write = (p: MediaPacket): void => {
    if (stopped) return;
    const header = new RtpHeader({ sequenceNumber: seq, timestamp: p.timestamp >>> 0, marker: p.marker, payloadType: 96 });
    seq = (seq + 1) & 0xffff;
    sent++;
    try {
      const r = options.send(new RtpPacket(header, p.payload));
      if (r instanceof Promise) r.catch(() => {});
    } catch {
      /* a send failure is the transport's business; the session watches its state */
    }
  };

  const sub = options.hub.subscribe(options.codec, (p) => {
    if (replaying) backlog.push(p);
    else write(p);
  });
  const replay = sub.replay;

  const finishReplay = (): void => {
    for (const p of backlog.splice(0)) write(p);
    replaying = false;
  };

  if (replay.length === 0) finishReplay();
  else {
    const perSlice = Math.ceil(replay.length / REPLAY_SLICES);
    const slices = Math.ceil(replay.length / perSlice);
    const gap = windowMs / slices;
    // The first slice (the keyframe's start) goes at once: it is what the viewer waits for.
    for (let i = 0; i < slices; i++) {
      const run = (): void => {
        for (const p of replay.slice(i * perSlice, (i + 1) * perSlice)) write(p);
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

  return {
    replayed: replay.length,
    get sent() {
      return sent;
    },
    stop() {
      stopped = true;
      sub.unsubscribe();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      backlog.length = 0;
    },
  };
}
