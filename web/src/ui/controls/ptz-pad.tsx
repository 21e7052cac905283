// Why: moving the camera — on-screen arrows and zoom, home, presets, keyboard (arrows, +/-)
// while the picture has focus, and a drag on the picture. Every move is a lease the camera ends
// by itself after MOVE_LEASE_MS (protocol ptz.move timeoutMs), renewed while held, so a lost
// "stop" (tab closed, network gone) never leaves the camera turning.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { PtzStatus } from "../../../../protocol/controls.ts";
import { inputKind, pointerFacts, PTZ_HINTS } from "../../lib/input-hints.ts";
import { describePtzError, dragVelocity, keyVelocity, sameVelocity, STILL, type Velocity } from "../../lib/ptz-input.ts";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";

export interface PtzPadProps {
  client: ControlClient;
}

/** The camera stops a move by itself this long after the last renewal. */
const MOVE_LEASE_MS = 1000;
/** Renew a held move this often (well inside the lease, survives one lost message). */
const MOVE_RENEW_MS = 350;
const BUTTON_SPEED = 0.6;

interface HoldButtonProps {
  v: Velocity;
  label: string;
  testid: string;
  area: string;
  hold(v: Velocity): void;
  /** Ends the held move if it is `v` (another button's blur must not stop this one). */
  release(v: Velocity): void;
  children: ComponentChildren;
}

/** A press-and-hold button: moves while pressed (mouse, touch, or keyboard Space/Enter). Defined
 * at module level so re-renders (ptz.status while moving) never remount it mid-press. */
function HoldButton(p: HoldButtonProps) {
  return (
    <button
      type="button"
      class={`ptz__btn ptz__btn--${p.area}`}
      aria-label={p.label}
      title={p.label}
      data-testid={p.testid}
      onPointerDown={(e) => {
        (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
        p.hold(p.v);
      }}
      onPointerUp={() => p.release(p.v)}
      onPointerCancel={() => p.release(p.v)}
      onKeyDown={(e) => {
        if ((e.key === " " || e.key === "Enter") && !e.repeat) {
          e.preventDefault();
          p.hold(p.v);
        }
      }}
      onKeyUp={(e) => (e.key === " " || e.key === "Enter") && p.release(p.v)}
      onBlur={() => p.release(p.v)}
    >
      {p.children}
    </button>
  );
}

/** The live <video> the dock sits under (the pad drives it: focus, keys, drag). */
function findVideo(from: Element | null): HTMLVideoElement | null {
  return from?.closest(".viewer")?.querySelector("video") ?? null;
}

export function PtzPad({ client }: PtzPadProps) {
  const root = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<PtzStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [presetName, setPresetName] = useState("");
  const [busy, setBusy] = useState(false);
  // Read once: a phone does not grow a keyboard mid-session, and a wrong tip is harmless.
  const [hints] = useState(() => inputKind(pointerFacts()));
  const moving = useRef<{ v: Velocity; timer: ReturnType<typeof setInterval> } | null>(null);

  const fail = (e: unknown): void => {
    setError(e instanceof ControlRequestError ? describePtzError(e.code, e.message) : "The command could not be sent.");
  };

  const sendMove = (v: Velocity): void => {
    void client.request("ptz.move", { ...v, timeoutMs: MOVE_LEASE_MS }).then(() => setError(null), fail);
  };
  /** Starts (or changes) the held move; STILL stops it. */
  const hold = (v: Velocity): void => {
    const cur = moving.current;
    if (cur && sameVelocity(cur.v, v)) return;
    if (cur) clearInterval(cur.timer);
    moving.current = null;
    if (sameVelocity(v, STILL)) {
      if (cur) void client.request("ptz.stop", {}).catch(fail);
      return;
    }
    sendMove(v);
    moving.current = { v, timer: setInterval(() => sendMove(v), MOVE_RENEW_MS) };
  };
  /** Stops the held move — only if it is still `v`, when given. */
  const release = (v?: Velocity): void => {
    const cur = moving.current;
    if (v && (!cur || !sameVelocity(cur.v, v))) return;
    hold(STILL);
  };

  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try {
      await fn();
      setError(null);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const off = client.on("ptz.status", setStatus);
    client.request("ptz.status", {}).then(setStatus, fail);
    return () => {
      off();
      const cur = moving.current;
      if (cur) {
        clearInterval(cur.timer);
        moving.current = null;
        void client.request("ptz.stop", {}).catch(() => undefined);
      }
    };
  }, [client]);

  // Keyboard and drag on the picture itself.
  useEffect(() => {
    const video = findVideo(root.current);
    if (!video) return;
    video.tabIndex = 0;
    video.dataset.ptz = "on";
    const held = new Set<string>();
    const onKey = (e: KeyboardEvent) => {
      const v = keyVelocity(e.key, BUTTON_SPEED);
      if (!v) return;
      e.preventDefault();
      if (e.type === "keydown") {
        if (e.repeat) return;
        held.add(e.key);
        hold(v);
      } else {
        held.delete(e.key);
        const other = [...held].map((k) => keyVelocity(k, BUTTON_SPEED)).find((x) => x);
        hold(other ?? STILL);
      }
    };
    const onBlur = () => {
      held.clear();
      release();
    };
    let drag: { id: number; x: number; y: number; moved: boolean } | null = null;
    /** A drag ends with a click on the picture, which would also toggle sound: swallow it. */
    let swallowClick = false;
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      swallowClick = false;
      drag = { id: e.pointerId, x: e.clientX, y: e.clientY, moved: false };
      video.setPointerCapture?.(e.pointerId);
      video.focus({ preventScroll: true });
    };
    const onMove = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const r = video.getBoundingClientRect();
      const v = dragVelocity(e.clientX - drag.x, e.clientY - drag.y, r.width, r.height);
      if (!sameVelocity(v, STILL)) drag.moved = true;
      hold(v);
    };
    const onUp = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      swallowClick = drag.moved;
      drag = null;
      release();
    };
    const onClick = (e: MouseEvent) => {
      if (!swallowClick) return;
      swallowClick = false;
      e.stopImmediatePropagation();
    };
    // Capture: runs before the picture's own click handler (tap for sound).
    video.addEventListener("click", onClick, true);
    video.addEventListener("keydown", onKey);
    video.addEventListener("keyup", onKey);
    video.addEventListener("blur", onBlur);
    video.addEventListener("pointerdown", onDown);
    video.addEventListener("pointermove", onMove);
    video.addEventListener("pointerup", onUp);
    video.addEventListener("pointercancel", onUp);
    return () => {
      video.removeEventListener("click", onClick, true);
      video.removeEventListener("keydown", onKey);
      video.removeEventListener("keyup", onKey);
      video.removeEventListener("blur", onBlur);
      video.removeEventListener("pointerdown", onDown);
      video.removeEventListener("pointermove", onMove);
      video.removeEventListener("pointerup", onUp);
      video.removeEventListener("pointercancel", onUp);
      delete video.dataset.ptz;
    };
  }, [client]);

  const pos = status?.position;
  const s = BUTTON_SPEED;
  return (
    <div class="ptz" ref={root} data-testid="ptz-pad" data-moving={status?.moving ? "true" : "false"}>
      <div class="ptz__pad" role="group" aria-label="Move the camera">
        <HoldButton v={{ pan: 0, tilt: s, zoom: 0 }} hold={hold} release={release} label="Tilt up" testid="ptz-up" area="up">▲</HoldButton>
        <HoldButton v={{ pan: -s, tilt: 0, zoom: 0 }} hold={hold} release={release} label="Pan left" testid="ptz-left" area="left">◀</HoldButton>
        <button type="button" class="ptz__btn ptz__btn--home" aria-label="Home" title="Home" data-testid="ptz-home" disabled={busy} onClick={() => void run(() => client.request("ptz.home", {}))}>
          ⌂
        </button>
        <HoldButton v={{ pan: s, tilt: 0, zoom: 0 }} hold={hold} release={release} label="Pan right" testid="ptz-right" area="right">▶</HoldButton>
        <HoldButton v={{ pan: 0, tilt: -s, zoom: 0 }} hold={hold} release={release} label="Tilt down" testid="ptz-down" area="down">▼</HoldButton>
      </div>
      <div class="ptz__zoom" role="group" aria-label="Zoom">
        <HoldButton v={{ pan: 0, tilt: 0, zoom: 1 }} hold={hold} release={release} label="Zoom in" testid="ptz-zoom-in" area="zin">+</HoldButton>
        <HoldButton v={{ pan: 0, tilt: 0, zoom: -1 }} hold={hold} release={release} label="Zoom out" testid="ptz-zoom-out" area="zout">−</HoldButton>
      </div>
      <div class="ptz__side">
        <p class="ptz__position" data-testid="ptz-position">
          {pos ? `Pan ${pos.pan.toFixed(2)} · Tilt ${pos.tilt.toFixed(2)} · Zoom ${Math.round(pos.zoom * 100)}%` : "…"}
          {status?.moving ? " · moving" : ""}
        </p>
        <form
          class="ptz__save"
          onSubmit={(e) => {
            e.preventDefault();
            const name = presetName.trim();
            if (!name) return;
            void run(async () => {
              await client.request("ptz.preset.save", { name });
              setPresetName("");
            });
          }}
        >
          <input
            class="field__input ptz__name"
            data-testid="ptz-preset-name"
            placeholder="Preset name"
            maxLength={64}
            value={presetName}
            onInput={(e) => setPresetName((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="btn btn--small" data-testid="ptz-preset-save" disabled={busy || !presetName.trim()}>
            Save preset
          </button>
        </form>
        <ul class="ptz__presets" data-testid="ptz-presets">
          {status?.presets.map((p) => (
            <li key={p.token} class="ptz__preset" data-testid="ptz-preset" data-token={p.token}>
              <span class="ptz__preset-name">{p.name}</span>
              <button type="button" class="btn btn--small" data-testid="ptz-preset-go" disabled={busy} onClick={() => void run(() => client.request("ptz.goto", { token: p.token }))}>
                Go
              </button>
              <button type="button" class="btn btn--small btn--ghost" data-testid="ptz-preset-remove" disabled={busy} aria-label={`Remove preset ${p.name}`} onClick={() => void run(() => client.request("ptz.preset.remove", { token: p.token }))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <p class="ptz__hint" data-testid="ptz-hint" data-input={hints}>{PTZ_HINTS[hints]}</p>
        {error && (
          <p class="ptz__error" role="alert" data-testid="ptz-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
