// Why: a viewer looking at a grey, grainy picture should be told it is night mode, not left to
// think the camera is broken. The state comes from the source (what the picture shows now) and
// the setting; every change — the clock crossing 19:00 in "auto", or the owner's switch — is
// pushed to every viewer as night.state, and a viewer that just opened asks with night.state.
import type { NightState } from "../../../../protocol/index.ts";
import type { MediaSource } from "../../media/source.ts";
import type { FeatureFactory } from "../camera-controls.ts";
import type { SettingsStore } from "../settings/settings-store.ts";

export interface NightFeatureOptions {
  /** A source without a pipeline (the shipped demo clip as is) never shows the night look. */
  source: Pick<MediaSource, "nightActive" | "onNightChange">;
  settings: Pick<SettingsStore, "get" | "onChange">;
}

export function nightFeature(o: NightFeatureOptions): FeatureFactory {
  return (ctx) => {
    const current = (): NightState => ({ mode: o.settings.get().image.night, active: o.source.nightActive?.() ?? false });
    let last = current();
    // Both a setting change and the source's flip can report the same change: send it once.
    const push = (): void => {
      const next = current();
      if (next.mode === last.mode && next.active === last.active) return;
      last = next;
      ctx.broadcast("night.state", next);
    };
    const offSource = o.source.onNightChange?.(push);
    const offSettings = o.settings.onChange(push);
    return {
      name: "night",
      handlers: { "night.state": async () => current() },
      async stop() {
        offSource?.();
        offSettings();
      },
    };
  };
}
