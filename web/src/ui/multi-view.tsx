// Why: several cameras live at once — up to four tiles, each its own session at SD (the
// camera's default for every new session), muted; 2×2 on desktop, a column on phones. A tile
// says in plain words why it isn't playing (a camera at its viewer limit: "3 of 3 viewers —
// full"); a tap opens that camera's page. Which cameras play is the person's choice when they
// have more than four, remembered on this device (lib/multi-tiles.ts).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Camera } from "../../../protocol/accounts.ts";
import { chooseTileCameras, MAX_TILES, parseSavedTiles, TILES_STORAGE_KEY, toggleTileCamera } from "../lib/multi-tiles.ts";
import type { UiError } from "../lib/session-state.ts";
import { shouldAutoConnect, tileStatus } from "../lib/tile-status.ts";
import { createSessionStore } from "../session/store.ts";
import { ViewerSession } from "../session/viewer-session.ts";
import { useCameraPicture } from "./camera-picture.tsx";
import { FormError } from "./form-error.tsx";
import { CameraIcon } from "./icons.tsx";
import { useRememberPicture } from "./use-remember-picture.ts";
import { linkTo } from "./use-route.ts";
import { useSessionState } from "./use-session-state.ts";
import "./multi-view.css";

export interface MultiViewProps {
  cameras: Camera[] | null;
  error: UiError | null;
}

function readSaved(): string[] | null {
  try {
    return parseSavedTiles(localStorage.getItem(TILES_STORAGE_KEY));
  } catch {
    return null; // storage disabled: the first four, every time
  }
}

export function MultiView({ cameras, error }: MultiViewProps) {
  const [saved, setSaved] = useState(readSaved);
  const [choosing, setChoosing] = useState(false);
  const chosen = useMemo(() => chooseTileCameras(cameras ?? [], saved), [cameras, saved]);
  const tiles = chosen.map((s) => cameras?.find((c) => c.serial === s)).filter((c): c is Camera => c !== undefined);

  const toggle = (serial: string) => {
    const next = toggleTileCamera(chosen, serial);
    if (next.length === 0) return; // the last tile stays: an empty page would only confuse
    setSaved(next);
    try {
      localStorage.setItem(TILES_STORAGE_KEY, JSON.stringify(next));
    } catch {
      /* storage disabled: the choice lasts until the page closes */
    }
  };

  return (
    <main class="page multi-page" data-testid="multi-view">
      <div class="page__head">
        <h1 class="page__title">All cameras</h1>
        {cameras && cameras.length > 1 && (
          <button type="button" class="btn btn--small btn--ghost" data-testid="multi-choose-button" aria-expanded={choosing} onClick={() => setChoosing(!choosing)}>
            {choosing ? "Done" : "Choose cameras"}
          </button>
        )}
      </div>
      <FormError error={error} />
      {cameras === null && !error && <p class="muted">Loading your cameras…</p>}
      {cameras && cameras.length === 0 && (
        <div class="card empty" data-testid="multi-empty">
          <CameraIcon width={32} height={32} stroke-width={1.5} />
          <p>No cameras yet. Add one, and it plays here next to the others.</p>
          <a class="btn btn--primary btn--small" {...linkTo({ name: "add-camera" })}>Add camera</a>
        </div>
      )}
      {choosing && cameras && (
        <fieldset class="card multi-choose" data-testid="multi-choose">
          <legend>Watch up to {MAX_TILES} at once</legend>
          {cameras.map((c) => {
            const on = chosen.includes(c.serial);
            return (
              <label key={c.serial} class="multi-choose__item">
                <input type="checkbox" data-testid={`multi-choose-${c.serial}`} checked={on} disabled={(!on && chosen.length >= MAX_TILES) || (on && chosen.length === 1)} onChange={() => toggle(c.serial)} />
                {c.name || c.serial}
              </label>
            );
          })}
        </fieldset>
      )}
      {tiles.length > 0 && (
        <div class={`multi multi--n${tiles.length}`} data-testid="multi-grid">
          {tiles.map((c) => <Tile key={c.serial} camera={c} />)}
        </div>
      )}
    </main>
  );
}

/** One camera's own session, store and <video>; it ends when the tile goes (or the page). */
function Tile({ camera }: { camera: Camera }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const store = useMemo(() => createSessionStore(), []);
  const session = useMemo(() => new ViewerSession({ store, video: () => videoRef.current }), [store]);
  const state = useSessionState(store);
  const picture = useCameraPicture(camera.serial);
  const status = tileStatus(state, camera);
  const playing = state.phase === "live" || state.phase === "reconnecting";

  // Before the effect that ends the session: its last picture is taken while the stream is attached.
  useRememberPicture(camera.serial, videoRef, state.phase === "live");

  // Leaving (another screen, the tab closed) says bye, so the camera frees the viewer slot now.
  useEffect(() => {
    const bye = () => session.disconnect();
    addEventListener("pagehide", bye);
    return () => {
      removeEventListener("pagehide", bye);
      session.dispose();
    };
  }, [session]);

  // An online camera plays at once; an offline or full one starts when the camera list (every
  // 15 s) says it is back or has a free slot.
  useEffect(() => {
    if (shouldAutoConnect(store.getState(), camera)) void session.connect(camera.serial);
  }, [camera.online, camera.viewers, camera.maxViewers, session]);

  return (
    <section class={`tile tile--${status.tone}`} data-testid={`multi-tile-${camera.serial}`} data-phase={state.phase} data-tone={status.tone} aria-label={camera.name || camera.serial}>
      {/* Always displayed (a display:none video may never report its first frame); until it
          plays, the camera's last picture (or its icon) lies over it. */}
      <video ref={videoRef} class="tile__video" data-testid={`multi-video-${camera.serial}`} muted playsInline autoPlay />
      {picture && !playing && <img class="tile__poster" src={picture.url} alt="" />}
      {!picture && !playing && <span class="tile__placeholder" aria-hidden="true"><CameraIcon /></span>}
      {/* The whole tile opens the camera's page; the retry button sits above this link. */}
      <a class="tile__open" data-testid={`multi-open-${camera.serial}`} {...linkTo({ name: "camera", serial: camera.serial })}>
        <span class="tile__name">{camera.name || camera.serial}</span>
      </a>
      <span class={`tile__status tile__status--${status.tone}`} data-testid={`multi-status-${camera.serial}`} role="status">
        <span class="tile__dot" aria-hidden="true" />
        {status.text}
      </span>
      {status.retry && (
        <button type="button" class="btn btn--small tile__retry" data-testid={`multi-retry-${camera.serial}`} onClick={() => void session.connect(camera.serial)}>
          Try again
        </button>
      )}
    </section>
  );
}
