// Why: the handful of inline SVG icons the UI uses (no icon font, nothing to fetch offline).
import type { JSX } from "preact";

type P = JSX.SVGAttributes<SVGSVGElement>;
const base = { width: 20, height: 20, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": true } as const;

export const CameraIcon = (p: P) => (
  <svg {...base} {...p}><path d="M23 7l-7 5 7 5V7z" /><rect x="1" y="5" width="15" height="14" rx="2" /></svg>
);
export const CheckIcon = (p: P) => <svg {...base} {...p}><path d="M20 6L9 17l-5-5" /></svg>;
export const CrossIcon = (p: P) => <svg {...base} {...p}><path d="M18 6L6 18M6 6l12 12" /></svg>;
export const MutedIcon = (p: P) => (
  <svg {...base} {...p}><path d="M11 5L6 9H2v6h4l5 4V5z" /><path d="M23 9l-6 6M17 9l6 6" /></svg>
);
export const SoundIcon = (p: P) => (
  <svg {...base} {...p}><path d="M11 5L6 9H2v6h4l5 4V5z" /><path d="M15.5 8.5a5 5 0 010 7M19 5a10 10 0 010 14" /></svg>
);
export const ExpandIcon = (p: P) => (
  <svg {...base} {...p}><path d="M15 3h6v6M9 21H3v-6M21 3l-7 7M3 21l7-7" /></svg>
);
export const AlertIcon = (p: P) => (
  <svg {...base} {...p}><circle cx="12" cy="12" r="10" /><path d="M12 8v4M12 16h.01" /></svg>
);
export const LogoMark = (p: P) => (
  <svg width="28" height="28" viewBox="0 0 64 64" aria-hidden="true" {...p}>
    <circle cx="32" cy="32" r="29" fill="#0f1b2d" stroke="#3b82f6" stroke-width="5" />
    <circle cx="32" cy="32" r="14" fill="#1d4ed8" />
    <circle cx="32" cy="32" r="6" fill="#0b0f14" />
    <circle cx="37" cy="27" r="3" fill="#93c5fd" />
  </svg>
);
