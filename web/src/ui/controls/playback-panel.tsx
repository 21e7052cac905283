// Why: what happened while you were away. A timeline of the camera's recordings (last 15 min …
// 24 h, recorded spans as bars); a click or tap plays from that time in a second video beside the
// live one, with pause, ±10 s, speed and "Back to live". Segments come over the P2P data channel
// (recordings.fetch → bulk channel) into Media Source Extensions — see mse-playback.ts for why.
// Owners can start and stop on-demand recording here.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { RecordingSegment, RecordingState } from "../../../../protocol/controls.ts";
import {
  PLAYBACK_SPEEDS,
  TIMELINE_RANGES,
  formatClock,
  fractionToTime,
  segmentAt,
  timeToFraction,
  timelineBars,
  timelineTicks,
  timelineWindow,
} from "../../lib/playback-timeline.ts";
import { audioFocus, followAudioFocus } from "../../lib/audio-focus.ts";
import { NO_MEDIA_SOURCE_TEXT, browserSupport } from "../../lib/browser-support.ts";
import { mediaSourceCtor, type MediaSourceGlobals } from "../../lib/media-source.ts";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";
import { MsePlayer, type MediaSourceChoice, type PlayerStatus } from "./mse-playback.ts";

/** Another control asks the panel to play a time or go back to live (a tapped motion event);
 * each new request has a new `seq`. */
export type PlaybackRequest =
  /** Play from `at`; `until` is when the moment ends: the panel waits (a few seconds) for the
   * camera to finish the segment holding it, so a just-ended event plays through. */
  | { kind: "play"; at: number; until: number; seq: number }
  | { kind: "live"; seq: number };

export interface PlaybackPanelProps {
  client: ControlClient;
  canRecord: boolean;
  request?: PlaybackRequest | null;
  /** Told when the playback video appears (true) or goes (false). */
  onPlayingChange?(playing: boolean): void;
}

/** Refresh the listing this often while the panel is open (new segments every ~10 s). */
const LIST_REFRESH_MS = 10_000;
/** A transfer of one segment (≈1 MB) may take longer than a plain request on a slow relay. */
const FETCH_TIMEOUT_MS = 60_000;
/** A requested moment still in the segment being written: list again this often, this long
 * (segments end at the first keyframe after 10 s). */
const SAVING_POLL_MS = 1_500;
const SAVING_WAIT_MS = 25_000;

type RangeId = (typeof TIMELINE_RANGES)[number]["id"];

/** MediaSource, or ManagedMediaSource on iPhone; null: this browser cannot play recordings. */
function mediaSourceChoice(): MediaSourceChoice | null {
  const kind = browserSupport().mediaSource;
  const ctor = mediaSourceCtor(kind, window as unknown as MediaSourceGlobals);
  return ctor ? { ctor, managed: kind === "ManagedMediaSource" } : null;
}

function describeError(e: unknown): string {
  if (e instanceof ControlRequestError) {
    if (e.code === "forbidden") return "Your access to this camera does not include recordings.";
    if (e.code === "not_found") return "That recording was deleted to make room for newer ones.";
    if (e.code === "unavailable") return "The connection to the camera closed.";
    if (e.code === "timeout") return "The camera did not answer in time. Try again.";
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

export function PlaybackPanel({ client, canRecord, request = null, onPlayingChange }: PlaybackPanelProps) {
  const [range, setRange] = useState<RangeId>("1h");
  const [now, setNow] = useState(() => Date.now());
  const [segments, setSegments] = useState<RecordingSegment[]>([]);
  const [recState, setRecState] = useState<RecordingState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [status, setStatus] = useState<PlayerStatus>("idle");
  const [playhead, setPlayhead] = useState<number | null>(null);
  const [rate, setRate] = useState(1);
  const [busy, setBusy] = useState(false);
  const [saving, setSaving] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<MsePlayer | null>(null);
  const segmentsRef = useRef<RecordingSegment[]>([]);
  const [source] = useState(mediaSourceChoice);
  const rangeMs = TIMELINE_RANGES.find((r) => r.id === range)!.ms;
  const win = timelineWindow(now, rangeMs);

  const refresh = useCallback(async () => {
    const t = Date.now();
    try {
      // Listing covers the longest range, so switching ranges needs no round trip.
      const r = await client.request("recordings.list", { from: t - TIMELINE_RANGES.at(-1)!.ms, to: t + 60_000 });
      segmentsRef.current = r.segments;
      setSegments(r.segments);
      setRecState(r.state);
      setNow(t);
      playerRef.current?.setSegments(r.segments);
    } catch (e) {
      setError(describeError(e));
    }
  }, [client]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), LIST_REFRESH_MS);
    const off = client.on("recording.state", (s) => {
      setRecState(s);
      void refresh();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [client, refresh]);

  /** Undoes the playback video's audio-focus wiring (see watchSound). */
  const soundRef = useRef<(() => void) | null>(null);
  useEffect(
    () => () => {
      playerRef.current?.destroy();
      soundRef.current?.();
    },
    [],
  );

  /** A recording playing with sound takes the page's sound from live, and gives it back (audio-focus.ts). */
  const watchSound = (video: HTMLVideoElement) => {
    const sync = () => (video.muted || video.paused || video.ended ? audioFocus.release("playback") : audioFocus.take("playback"));
    const events = ["play", "playing", "pause", "ended", "volumechange"] as const;
    for (const e of events) video.addEventListener(e, sync);
    const unfollow = followAudioFocus(audioFocus, "playback", video);
    soundRef.current = () => {
      for (const e of events) video.removeEventListener(e, sync);
      unfollow();
      audioFocus.release("playback");
    };
  };

  const fetchSegment = useCallback(
    async (s: RecordingSegment) => {
      const r = await client.request("recordings.fetch", { id: s.id }, { timeoutMs: FETCH_TIMEOUT_MS });
      const bytes = await client.transfer(r.transfer, r.bytes);
      return { bytes, mime: r.mime };
    },
    [client],
  );

  const playAt = async (wall: number) => {
    if (!source) return setError(NO_MEDIA_SOURCE_TEXT);
    setError(null);
    setPlaying(true);
    // The <video> renders once `playing` is set; wait a frame for it.
    await new Promise((r) => requestAnimationFrame(r));
    const video = videoRef.current;
    if (!video) return;
    if (!playerRef.current) {
      soundRef.current?.();
      watchSound(video);
      playerRef.current = new MsePlayer(video, fetchSegment, {
        onStatus: (s, message) => {
          setStatus(s);
          if (s === "error" && message) setError(message);
        },
        onTime: setPlayhead,
      }, source);
    }
    const player = playerRef.current;
    player.setSegments(segmentsRef.current);
    player.setRate(rate);
    try {
      await player.playAt(wall);
      video.dataset.epoch = String(player.epochMs);
      setPlayhead(wall);
    } catch (e) {
      setStatus("error");
      setError(describeError(e));
    }
  };

  const backToLive = () => {
    playerRef.current?.destroy();
    playerRef.current = null;
    soundRef.current?.();
    soundRef.current = null;
    setPlaying(false);
    setStatus("idle");
    setPlayhead(null);
  };

  useEffect(() => onPlayingChange?.(playing), [playing]);

  // A request from another control (events-panel.tsx): the newest one wins.
  const requestSeq = useRef(0);
  useEffect(() => {
    if (!request) return;
    requestSeq.current = request.seq;
    if (request.kind === "live") return backToLive();
    const stale = () => requestSeq.current !== request.seq;
    void (async () => {
      const started = Date.now();
      await refresh();
      // Only finished segments are listed: wait while the moment is still being written.
      const held = () => segmentsRef.current.some((s) => s.start <= request.until && s.end >= request.until);
      while (!held() && recState?.active !== false && Date.now() - started < SAVING_WAIT_MS && !stale()) {
        setSaving(true);
        await new Promise((r) => setTimeout(r, SAVING_POLL_MS));
        await refresh();
      }
      setSaving(false);
      if (stale()) return;
      // Show it on the timeline: the shortest range that holds it.
      const t = Date.now();
      setNow(t);
      setRange(TIMELINE_RANGES.find((r) => t - r.ms <= request.at)?.id ?? TIMELINE_RANGES.at(-1)!.id);
      if (!segmentAt(segmentsRef.current, request.at)) return setError("That moment is not in the camera's recordings (deleted to make room, or not recorded).");
      await playAt(request.at);
      if (!stale()) videoRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    })();
  }, [request?.seq]);

  const onTimelineClick = (ev: MouseEvent) => {
    const el = ev.currentTarget as HTMLElement;
    const box = el.getBoundingClientRect();
    void playAt(fractionToTime((ev.clientX - box.left) / box.width, win));
  };

  const onTimelineKey = (ev: KeyboardEvent) => {
    // Arrow keys move the playhead by a minute (a tenth of the range with Shift).
    const step = ev.shiftKey ? rangeMs / 10 : 60_000;
    if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
    ev.preventDefault();
    const from = playhead ?? segments.at(-1)?.start ?? now;
    void playAt(from + (ev.key === "ArrowLeft" ? -step : step));
  };

  const toggleRecording = async () => {
    setBusy(true);
    setError(null);
    try {
      setRecState(await client.request(recState?.active ? "recordings.stop" : "recordings.start", {}));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const changeRate = (r: number) => {
    setRate(r);
    playerRef.current?.setRate(r);
  };

  const bars = timelineBars(segments, win);
  const tz = -new Date(now).getTimezoneOffset() * 60_000;
  const paused = status === "paused" || status === "ended";

  return (
    <section class="card playback" data-testid="playback-panel">
      <div class="playback__head">
        <h3 class="card__title">Recordings</h3>
        <span class={`playback__rec ${recState?.active ? "playback__rec--on" : ""}`} data-testid="recording-state" data-active={String(!!recState?.active)}>
          {recState === null ? "…" : recState.active ? "● Recording" : recState.mode === "off" ? "Recording is off" : "Not recording"}
        </span>
        {canRecord && recState?.mode === "on-demand" && (
          <button type="button" class="btn btn--small" data-testid="record-toggle" disabled={busy} onClick={() => void toggleRecording()}>
            {recState.active ? "Stop recording" : "Record now"}
          </button>
        )}
        <div class="playback__ranges" role="group" aria-label="Timeline range">
          {TIMELINE_RANGES.map((r) => (
            <button
              type="button"
              key={r.id}
              class={`btn btn--ghost btn--small ${r.id === range ? "is-active" : ""}`}
              aria-pressed={r.id === range}
              data-testid={`playback-range-${r.id}`}
              onClick={() => {
                setRange(r.id);
                setNow(Date.now());
              }}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>

      <div
        class="playback__timeline"
        data-testid="playback-timeline"
        data-from={String(win.from)}
        data-to={String(win.to)}
        role="slider"
        tabIndex={0}
        aria-label={source ? "Recordings timeline: click a time to play it" : "Recordings timeline"}
        aria-disabled={!source}
        aria-valuemin={win.from}
        aria-valuemax={win.to}
        aria-valuenow={playhead ?? win.to}
        aria-valuetext={playhead ? formatClock(playhead, true) : "live"}
        onClick={onTimelineClick}
        onKeyDown={onTimelineKey}
      >
        {bars.map((b) => (
          <span
            key={b.start}
            class="playback__bar"
            data-testid="playback-bar"
            data-start={String(b.start)}
            data-end={String(b.end)}
            style={{ left: `${b.left * 100}%`, width: `max(2px, ${b.width * 100}%)` }}
            title={`${formatClock(b.start, true)} – ${formatClock(b.end, true)}`}
          />
        ))}
        {playhead !== null && <span class="playback__head-marker" style={{ left: `${timeToFraction(playhead, win) * 100}%` }} />}
        {timelineTicks(win, 6, tz).map((t) => (
          <span key={t} class="playback__tick" style={{ left: `${timeToFraction(t, win) * 100}%` }}>
            {formatClock(t)}
          </span>
        ))}
      </div>
      {segments.length === 0 && recState !== null && <p class="muted playback__empty">No recordings in the last 24 hours.</p>}
      {saving && (
        <p class="muted playback__empty" data-testid="playback-saving" role="status">
          The camera is still saving this moment — it plays in a few seconds…
        </p>
      )}
      {!source && (
        <p class="muted playback__empty" data-testid="playback-unsupported">
          {NO_MEDIA_SOURCE_TEXT}
        </p>
      )}

      {playing && (
        <div class="playback__player">
          <video ref={videoRef} class="playback__video" data-testid="playback-video" playsInline />
          <div class="playback__controls">
            <button
              type="button"
              class="btn btn--small"
              data-testid="playback-toggle"
              onClick={() => (paused ? void playerRef.current?.resume() : playerRef.current?.pause())}
            >
              {paused ? "Play" : "Pause"}
            </button>
            <button type="button" class="btn btn--ghost btn--small" data-testid="playback-back" onClick={() => void playerRef.current?.skip(-10)}>
              −10 s
            </button>
            <button type="button" class="btn btn--ghost btn--small" data-testid="playback-forward" onClick={() => void playerRef.current?.skip(10)}>
              +10 s
            </button>
            <div class="playback__speeds" role="group" aria-label="Speed">
              {PLAYBACK_SPEEDS.map((s) => (
                <button
                  type="button"
                  key={s}
                  class={`btn btn--ghost btn--small ${s === rate ? "is-active" : ""}`}
                  aria-pressed={s === rate}
                  data-testid={`playback-speed-${s}`}
                  onClick={() => changeRate(s)}
                >
                  {s}×
                </button>
              ))}
            </div>
            <span class="playback__time" data-testid="playback-time" data-status={status}>
              {playhead !== null ? formatClock(playhead, true) : ""} {status === "loading" || status === "waiting" ? "· loading…" : status === "ended" ? "· end of recordings" : ""}
            </span>
            <button type="button" class="btn btn--primary btn--small" data-testid="playback-live" onClick={backToLive}>
              Back to live
            </button>
          </div>
        </div>
      )}
      {error && (
        <p class="playback__error" data-testid="playback-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
