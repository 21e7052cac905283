// Why: SD/HD for this viewer's own stream (stream.quality): the camera moves this session to
// the other encoder at its next keyframe — same session, no renegotiation — and the browser's
// decoder follows the new resolution, which is shown here as decoded, not as asked for.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Quality } from "../../../../protocol/controls.ts";
import { describePtzError, formatResolution } from "../../lib/ptz-input.ts";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";

export interface QualitySwitchProps {
  client: ControlClient;
  qualities: readonly Quality[];
}

const LABEL: Record<Quality, string> = { sd: "SD", hd: "HD" };

export function QualitySwitch({ client, qualities }: QualitySwitchProps) {
  const root = useRef<HTMLDivElement>(null);
  // Every session starts on the camera's first (default) quality.
  const [current, setCurrent] = useState<Quality>(qualities[0] ?? "sd");
  const [pending, setPending] = useState<Quality | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // A new session (retry, reconnect) starts on the default quality again.
    setCurrent(qualities[0] ?? "sd");
    return client.on("stream.quality", (d) => setCurrent(d.quality));
  }, [client]);

  // The decoded size: <video> fires "resize" when a frame of a new size is shown.
  useEffect(() => {
    const video = root.current?.closest(".viewer")?.querySelector("video");
    if (!video) return;
    const read = () => setSize({ width: video.videoWidth, height: video.videoHeight });
    read();
    video.addEventListener("resize", read);
    video.addEventListener("loadedmetadata", read);
    return () => {
      video.removeEventListener("resize", read);
      video.removeEventListener("loadedmetadata", read);
    };
  }, []);

  const choose = async (q: Quality): Promise<void> => {
    if (q === current || pending) return;
    setPending(q);
    setError(null);
    try {
      const r = await client.request("stream.quality", { quality: q });
      setCurrent(r.quality);
    } catch (e) {
      setError(e instanceof ControlRequestError ? describePtzError(e.code, e.message) : "The quality could not be changed.");
    } finally {
      setPending(null);
    }
  };

  return (
    <div class="quality" ref={root} data-testid="quality-switch" data-quality={current}>
      <div class="quality__toggle" role="group" aria-label="Stream quality">
        {qualities.map((q) => (
          <button
            type="button"
            key={q}
            class={`quality__btn${q === current ? " quality__btn--on" : ""}`}
            aria-pressed={q === current}
            data-testid={`quality-${q}`}
            disabled={pending !== null}
            onClick={() => void choose(q)}
          >
            {LABEL[q]}
          </button>
        ))}
      </div>
      <span class="quality__size" data-testid="quality-resolution">
        {pending ? `Switching to ${LABEL[pending]}…` : formatResolution(size.width, size.height)}
      </span>
      {error && (
        <span class="quality__error" role="alert" data-testid="quality-error">
          {error}
        </span>
      )}
    </div>
  );
}
