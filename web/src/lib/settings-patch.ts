// Why: the settings panel edits a copy of the camera's settings and sends only what the owner
// changed (settings.set takes a partial patch), so a save never overwrites a value another
// owner's tab changed meanwhile, and a live update from the camera keeps the owner's edits.
import type { DeviceSettings, DeviceSettingsPatch } from "../../../protocol/controls.ts";

type Plain = string | number | boolean;
type Tree = { [k: string]: Plain | Tree };

function diffTree(base: Tree, next: Tree): Tree | null {
  const out: Tree = {};
  let any = false;
  for (const key of Object.keys(next)) {
    const a = base[key];
    const b = next[key]!;
    if (typeof b === "object") {
      const sub = diffTree(typeof a === "object" ? a : {}, b);
      if (sub) {
        out[key] = sub;
        any = true;
      }
    } else if (a !== b) {
      out[key] = b;
      any = true;
    }
  }
  return any ? out : null;
}

function mergeTree(base: Tree, patch: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const a = base[key];
    out[key] = typeof value === "object" && typeof a === "object" ? mergeTree(a, value) : value;
  }
  return out;
}

/** The fields of `draft` that differ from `base`, nested like DeviceSettingsPatch; {} when none. */
export function diffSettings(base: DeviceSettings, draft: DeviceSettings): DeviceSettingsPatch {
  return (diffTree(base as unknown as Tree, draft as unknown as Tree) ?? {}) as DeviceSettingsPatch;
}

export function isEmptyPatch(patch: DeviceSettingsPatch): boolean {
  return Object.keys(patch).length === 0;
}

/** `base` with `patch` applied (what the camera would store if it accepts the patch). */
export function applySettingsPatch(base: DeviceSettings, patch: DeviceSettingsPatch): DeviceSettings {
  return mergeTree(base as unknown as Tree, patch as unknown as Tree) as unknown as DeviceSettings;
}

/**
 * The camera's settings changed (settings.changed, maybe from another owner's tab) while the
 * owner edits: keep their unsaved edits on top of the new values; everything else follows.
 */
export function rebaseDraft(oldBase: DeviceSettings, newBase: DeviceSettings, draft: DeviceSettings): DeviceSettings {
  return applySettingsPatch(newBase, diffSettings(oldBase, draft));
}

/** Dot paths of the changed leaves ("image.night", "quality.sd.width"), for marking fields. */
export function changedPaths(patch: DeviceSettingsPatch, prefix = ""): string[] {
  return Object.entries(patch as unknown as Tree).flatMap(([k, v]) =>
    typeof v === "object" ? changedPaths(v as DeviceSettingsPatch, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
