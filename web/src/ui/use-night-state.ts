// Why: the picture turns grey at night; the viewer asks the camera whether its night mode is on
// (night.state) and follows the camera's pushes, so the live page can say so on the picture.
import { useEffect, useState } from "preact/hooks";
import type { NightState } from "../../../protocol/controls.ts";
import type { ControlClient } from "../session/control-client.ts";

/** The camera's night mode now; null before it answered, or for an agent older than night.state. */
export function useNightState(client: ControlClient | null): NightState | null {
  const [night, setNight] = useState<NightState | null>(null);
  useEffect(() => {
    setNight(null);
    if (!client) return;
    let current = true;
    const off = client.on("night.state", (n) => current && setNight(n));
    // An older agent answers unknown_method: no badge, nothing to tell the viewer.
    client.request("night.state", {}).then((n) => current && setNight(n), () => undefined);
    return () => {
      current = false;
      off();
    };
  }, [client]);
  return night;
}
