// Why: the live picture and everything drawn over it — what is happening while it connects,
// LIVE (and Night mode when the camera's night look is on) once it plays, "tap for sound", and
// the signaling-lost notice. How the picture travels is the live bar's status line.
import type { Ref } from "preact";
import { useEffect, useState } from "preact/hooks";
import { audioFocus, followAudioFocus } from "../lib/audio-focus.ts";
import { needsTapToPlay } from "../lib/autoplay.ts";
import { browserSupport } from "../lib/browser-support.ts";
import { toggleFullscreen, type FullscreenVideo } from "../lib/fullscreen.ts";
import { currentStage, STAGES, type SessionState } from "../lib/session-state.ts";
import { CameraIcon, ExpandIcon, MutedIcon, SoundIcon } from "./icons.tsx";

export interface VideoViewProps {
  state: SessionState;
  videoRef: Ref<HTMLVideoElement>;
  title: string | null;
  /** The camera's night mode is on the picture now (night.state): say why it is grey. */
  night?: boolean;
}

export function VideoView({ state, videoRef, title, night = false }: VideoViewProps) {
  const [muted, setMuted] = useState(true);
  const [hasAudio, setHasAudio] = useState(false);
  const [tapToPlay, setTapToPlay] = useState(false);
  const stage = currentStage(state);
  const live = state.phase === "live";

  // Live sound gives way to a recording played with sound, and comes back after it.
  useEffect(() => {
    const video = (videoRef as { current: HTMLVideoElement | null }).current;
    if (!video) return;
    const stop = followAudioFocus(audioFocus, "live", video, setMuted);
    return () => {
      stop();
      audioFocus.release("live");
    };
  }, []);

  // A new session starts muted again (autoplay policy) and re-checks for an audio track.
  useEffect(() => {
    const video = (videoRef as { current: HTMLVideoElement | null }).current;
    if (!video) return;
    if (state.phase === "connecting") {
      setMuted(true);
      audioFocus.release("live");
    }
    const stream = video.srcObject instanceof MediaStream ? video.srcObject : null;
    setHasAudio(!!stream && stream.getAudioTracks().length > 0);
  }, [state.phase, state.timings.firstFrameAt]);

  // A browser that refused to autoplay (iPhone in Low Power Mode) gets a "Tap to play" (autoplay.ts).
  useEffect(() => {
    const video = (videoRef as { current: HTMLVideoElement | null }).current;
    if (!video) return;
    let pausedSince: number | null = null;
    const check = () => {
      const hasStream = video.srcObject instanceof MediaStream;
      if (hasStream && video.paused) pausedSince ??= performance.now();
      else pausedSince = null;
      const pausedForMs = pausedSince === null ? 0 : performance.now() - pausedSince;
      setTapToPlay(needsTapToPlay({ phase: state.phase, hasStream, paused: video.paused, pausedForMs }));
    };
    const timer = setInterval(check, 250);
    video.addEventListener("playing", check);
    return () => {
      clearInterval(timer);
      video.removeEventListener("playing", check);
    };
  }, [state.phase]);

  const tapPlay = () => {
    const video = (videoRef as { current: HTMLVideoElement | null }).current;
    // Inside the tap: the user gesture the browser wanted. Still muted; sound is its own tap.
    void video?.play().then(() => setTapToPlay(false)).catch(() => undefined);
  };

  const toggleSound = () => {
    const video = (videoRef as { current: HTMLVideoElement | null }).current;
    if (!video) return;
    video.muted = !video.muted;
    setMuted(video.muted);
    if (video.muted) audioFocus.release("live");
    else audioFocus.take("live");
    void video.play().catch(() => undefined);
  };

  // The picture's box where the Fullscreen API exists; on iPhone the video's own player.
  const fullscreenKind = browserSupport().fullscreen;
  const fullscreen = () => {
    // WebKit's video-element extras are not in lib.dom (FullscreenVideo names them).
    const video = (videoRef as { current: (HTMLVideoElement & FullscreenVideo) | null }).current;
    toggleFullscreen(fullscreenKind, document, video?.parentElement ?? null, video);
  };

  const label = STAGES.find((s) => s.id === stage)?.label;
  return (
    <div class={`screen screen--${state.phase}`}>
      <video
        ref={videoRef}
        class="screen__video"
        data-testid="video"
        autoplay
        muted
        playsInline
        onClick={() => live && muted && hasAudio && toggleSound()}
      />
      {(state.phase === "idle" || state.phase === "ended" || (state.phase === "failed" && state.timings.firstFrameAt === null)) && (
        <div class="screen__placeholder">
          <CameraIcon width={40} height={40} stroke-width={1.5} />
          <span>
            {state.error?.code === "webrtc_unsupported"
              ? "Live video isn't available in this browser"
              : state.phase === "ended"
                ? "Stopped"
                : state.phase === "failed"
                  ? "No video"
                  : "Your camera will appear here"}
          </span>
        </div>
      )}
      {state.phase === "reconnecting" && (
        <div class="screen__placeholder" data-testid="reconnecting">
          <span class="spinner" aria-hidden="true" />
          <span>Reconnecting…</span>
        </div>
      )}
      {state.phase === "connecting" && (
        <div class="screen__placeholder">
          <span class="spinner" aria-hidden="true" />
          <span>Connecting{label ? ` · ${label}` : ""}…</span>
        </div>
      )}
      {tapToPlay && (
        <button type="button" class="screen__tap" data-testid="tap-to-play" onClick={tapPlay}>
          Tap to play
        </button>
      )}
      {live && (
        <div class="screen__top">
          <span class="badge badge--live"><span class="badge__dot" />LIVE</span>
          {night && (
            <span class="badge badge--night" data-testid="night-badge" title="The camera's night mode is on: the picture is black and white">
              <svg viewBox="0 0 24 24" width="12" height="12" fill="currentColor" aria-hidden="true">
                <path d="M21 12.8A9 9 0 1111.2 3a7 7 0 009.8 9.8z" />
              </svg>
              Night mode
            </span>
          )}
          <span class="screen__spacer" />
          {/* The live bar names the camera; full screen hides the bar, so the picture does. */}
          {title && <span class="badge badge--name">{title}</span>}
        </div>
      )}
      {live && (
        <div class="screen__bottom">
          {state.signaling === "resuming" && !state.iceInterrupted && (
            <span class="badge" data-testid="signaling-resuming">
              Reconnecting to the service…
            </span>
          )}
          {(state.signaling === "lost" || state.iceInterrupted) && (
            <span class="badge badge--warn" data-testid="signaling-lost" data-reason={state.iceInterrupted ? "ice" : "signaling"}>
              {state.iceInterrupted ? "Network interrupted · reconnecting…" : "Signaling lost · video continues peer-to-peer"}
            </span>
          )}
          <span class="screen__spacer" />
          {hasAudio && (
            <button type="button" class="icon-btn" data-testid="unmute-button" onClick={toggleSound} aria-label={muted ? "Unmute" : "Mute"}>
              {muted ? <MutedIcon /> : <SoundIcon />}
              {muted && <span class="icon-btn__text">Tap for sound</span>}
            </button>
          )}
          {fullscreenKind && (
            <button type="button" class="icon-btn" data-testid="fullscreen-button" data-fullscreen={fullscreenKind} onClick={fullscreen} aria-label="Full screen">
              <ExpandIcon />
            </button>
          )}
        </div>
      )}
    </div>
  );
}
