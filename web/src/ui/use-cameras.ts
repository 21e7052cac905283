// Why: "my cameras" from the edge, refreshed every 15 s while on screen so online state and
// viewer counts stay current, with a reload after the owner changes something.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Camera } from "../../../protocol/accounts.ts";
import type { UiError } from "../lib/session-state.ts";
import { listCameras } from "../session/account-api.ts";

export const CAMERAS_REFRESH_MS = 15_000;

export interface CamerasResult {
  cameras: Camera[] | null;
  error: UiError | null;
  reload(): void;
}

export function useCameras(onNotSignedIn: () => void): CamerasResult {
  const [cameras, setCameras] = useState<Camera[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const abort = new AbortController();
    const load = async () => {
      try {
        const r = await listCameras(abort.signal);
        if (abort.signal.aborted) return;
        if (r.ok) {
          setCameras(r.value);
          setError(null);
        } else if (r.error.code === "not_signed_in") onNotSignedIn();
        else setError(r.error);
      } catch {
        /* aborted */
      }
    };
    void load();
    const every = setInterval(load, CAMERAS_REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(every);
    };
  }, [tick, onNotSignedIn]);
  return { cameras, error, reload };
}
