// Why: a still of what the camera sees right now, made by the camera (snapshot.take) and sent
// over the P2P data channel — it works on every path and keeps the camera's full resolution,
// which a screenshot of the player would not. Saved as <serial>-<local time>.jpg.
import { useEffect, useRef, useState } from "preact/hooks";
import { formatBytes, snapshotFileName } from "../../lib/snapshot-name.ts";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";

export interface SnapshotButtonProps {
  client: ControlClient;
  serial: string;
}

interface Shot {
  url: string;
  name: string;
  width: number;
  height: number;
  bytes: number;
}

/** The failure in plain words; the camera's own reason where it gave one. */
function describeSnapshotError(e: unknown): string {
  if (!(e instanceof ControlRequestError)) return "The snapshot could not be saved in this browser.";
  switch (e.code) {
    case "busy":
      return "A snapshot is already on its way. Wait for it, then try again.";
    case "timeout":
      return "The camera did not send the snapshot in time. Try again.";
    case "unavailable":
      return "The connection to the camera closed before the snapshot arrived.";
    case "forbidden":
      return "Your access to this camera does not include snapshots.";
    case "unsupported":
      return e.message || "This camera cannot take snapshots.";
    default:
      return `The camera could not take a snapshot: ${e.message}`;
  }
}

/** Starts the browser's download of `url` as `name` (an <a download>, as a click on it would). */
function download(url: string, name: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}

export function SnapshotButton({ client, serial }: SnapshotButtonProps) {
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shot, setShot] = useState<Shot | null>(null);
  const alive = useRef(true);

  // Blob URLs hold the image in memory until revoked: one at a time, none after we leave.
  useEffect(() => () => void (shot && URL.revokeObjectURL(shot.url)), [shot]);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const take = async () => {
    setError(null);
    setProgress("Taking…");
    try {
      const at = new Date();
      const r = await client.request("snapshot.take", {});
      const bytes = await client.transfer(r.transfer, r.bytes, (got, total) => {
        if (alive.current) setProgress(total ? `Receiving ${Math.round((got / total) * 100)} %` : `Receiving ${formatBytes(got)}`);
      });
      if (!alive.current) return;
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.mime }));
      const next: Shot = { url, name: snapshotFileName(serial, at), width: r.width, height: r.height, bytes: bytes.byteLength };
      setShot(next);
      download(next.url, next.name);
    } catch (e) {
      if (alive.current) setError(describeSnapshotError(e));
    } finally {
      if (alive.current) setProgress(null);
    }
  };

  return (
    <div class="snapshot">
      <button type="button" class="btn btn--small" data-testid="snapshot-button" disabled={progress !== null} aria-busy={progress !== null} onClick={() => void take()}>
        {progress ?? "Snapshot"}
      </button>
      {shot && (
        <a class="snapshot__preview" href={shot.url} download={shot.name} data-testid="snapshot-download" title={`Save ${shot.name} again`}>
          <img src={shot.url} alt="The snapshot just taken" width={96} height={Math.round((96 * shot.height) / Math.max(1, shot.width))} data-testid="snapshot-preview" />
          <span class="snapshot__caption">
            {shot.width}×{shot.height} · {formatBytes(shot.bytes)}
          </span>
        </a>
      )}
      {error && (
        <p class="snapshot__error" role="alert" data-testid="snapshot-error">
          {error}
        </p>
      )}
    </div>
  );
}
