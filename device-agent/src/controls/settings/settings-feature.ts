// Why: settings.get / settings.set over the data channel. Every viewer may read (the PWA shows
// the camera's name and stream profiles); only the owner may change ("settings" capability,
// checked by the router). A change is pushed to every viewer as settings.changed.
import type { FeatureFactory } from "../camera-controls.ts";
import type { SettingsStore } from "./settings-store.ts";

export function settingsFeature(store: SettingsStore): FeatureFactory {
  return (ctx) => {
    const off = store.onChange((settings) => ctx.broadcast("settings.changed", { settings }));
    return {
      name: "settings",
      handlers: {
        "settings.get": async () => ({ settings: store.get() }),
        "settings.set": async ({ patch }, session) => {
          const settings = store.update(patch);
          ctx.logger.info({ event: "feature", feature: "settings", action: "set", sessionId: session.sessionId, detail: Object.keys(patch).join(",") });
          return { settings };
        },
      },
      async stop() {
        off();
      },
    };
  };
}
