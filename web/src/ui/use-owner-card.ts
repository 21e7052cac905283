// Why: the owner's camera cards (recent sessions, why the camera is offline) each load one
// resource from the edge, reload when the camera's state changes, and hold off while a session is
// connecting (the live view has the edge to itself); one hook keeps that rule in one place.
import { useEffect, useState } from "preact/hooks";
import type { UiError } from "../lib/session-state.ts";
import type { ApiResult } from "../session/api.ts";

/**
 * Loads with `load` whenever `serial` or `refreshKey` changes and `paused` is false; a reload
 * keeps the last value until the new one arrives, and a failure keeps it too (with the error).
 */
export function useOwnerCard<T>(load: (serial: string, signal: AbortSignal) => Promise<ApiResult<T>>, serial: string, refreshKey: unknown, paused: boolean): { value: T | null; error: UiError | null } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    if (paused) return;
    const abort = new AbortController();
    load(serial, abort.signal)
      .then((r) => {
        if (r.ok) {
          setValue(r.value);
          setError(null);
        } else setError(r.error);
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [serial, refreshKey, paused]);
  return { value, error };
}
