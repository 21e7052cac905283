// Why: the charts draw in real pixels at their container's width (not a scaled viewBox), so
// their 12 px labels stay 12 px on a phone instead of shrinking with the picture.
import { useEffect, useRef, useState } from "preact/hooks";

/** A ref for the container and its current content width (the fallback until it is measured). */
export function useWidth<T extends HTMLElement>(fallback = 600): [{ current: T | null }, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(120, Math.floor(el.clientWidth)));
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
