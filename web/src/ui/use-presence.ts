// Why: shows whether the camera is online before the user connects, refreshed every 15 s
// while the form is on screen, so "offline" never has to be discovered by a failed attempt.
import { useEffect, useState } from "preact/hooks";
import type { DevicePresence } from "../../../protocol/http.ts";
import { isValidSerial } from "../lib/prefill.ts";
import { getPresence } from "../session/api.ts";

export const PRESENCE_REFRESH_MS = 15_000;

export interface PresenceResult {
  presence: DevicePresence | null;
  /** Code of the last failure (device_not_found, network_error…), null when fine. */
  errorCode: string | null;
}

export function usePresence(serial: string, enabled: boolean, refreshKey: unknown): PresenceResult {
  const [result, setResult] = useState<PresenceResult>({ presence: null, errorCode: null });
  useEffect(() => {
    if (!isValidSerial(serial)) {
      setResult({ presence: null, errorCode: null });
      return;
    }
    if (!enabled) return;
    const abort = new AbortController();
    const load = async () => {
      try {
        const r = await getPresence(serial, abort.signal);
        if (abort.signal.aborted) return;
        setResult(r.ok ? { presence: r.value, errorCode: null } : { presence: null, errorCode: r.error.code });
      } catch {
        /* aborted */
      }
    };
    const first = setTimeout(load, 300); // debounce typing
    const every = setInterval(load, PRESENCE_REFRESH_MS);
    return () => {
      abort.abort();
      clearTimeout(first);
      clearInterval(every);
    };
  }, [serial, enabled, refreshKey]);
  return result;
}
