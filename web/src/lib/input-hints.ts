// Why: a phone has no arrow keys. The PTZ pad's tip must speak about what this device can do:
// fingers on a touch-only phone or tablet, keys and a mouse where there is a fine pointer.
// Media queries: CSS Media Queries 4 §5 (pointer, hover, any-pointer).

export type InputKind = "touch" | "keyboard";

export interface PointerFacts {
  /** (pointer: coarse): the primary pointer is a finger. */
  coarse: boolean;
  /** (hover: none): the primary pointer cannot hover. */
  noHover: boolean;
  /** (any-pointer: fine): some pointer (a mouse, a trackpad) is precise — a keyboard usually comes with it. */
  anyFine: boolean;
}

/** Touch hints only where touch is all there is; a touch laptop with a trackpad keeps the keyboard's. */
export function inputKind(f: PointerFacts): InputKind {
  return f.coarse && f.noHover && !f.anyFine ? "touch" : "keyboard";
}

/** What the pad really supports (ptz-pad.tsx): hold-to-move arrows, drag on the picture, keys while it has focus. */
export const PTZ_HINTS: Record<InputKind, string> = {
  touch: "Tip: drag on the picture towards where you want to look, or press and hold the arrows; + / − zoom.",
  keyboard: "Tip: click the picture, then use the arrow keys and + / −, or drag on it towards where you want to look.",
};

/** Reads the facts from the browser; without matchMedia (tests, old engines) assumes a keyboard. */
export function pointerFacts(mm: ((q: string) => { matches: boolean }) | undefined = globalThis.matchMedia?.bind(globalThis)): PointerFacts {
  if (!mm) return { coarse: false, noHover: false, anyFine: true };
  return { coarse: mm("(pointer: coarse)").matches, noHover: mm("(hover: none)").matches, anyFine: mm("(any-pointer: fine)").matches };
}
