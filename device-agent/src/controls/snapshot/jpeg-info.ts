// Why: the snapshot reply names the picture's size, and the agent must not hand a viewer
// something that is not a JPEG. Reads the frame header (SOFn) from the marker segments of
// ITU-T T.81 Annex B (B.1.1.3 markers, B.2.2 frame header) without decoding anything.

export interface JpegInfo {
  width: number;
  height: number;
  /** The SOF marker's second byte (0xC0 baseline, 0xC2 progressive…). */
  sof: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

/** SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range (T.81 Table B.1). */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, without a length field: TEM, RST0–7, SOI, EOI (T.81 B.1.1.3). */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

/** True when `bytes` starts with SOI and ends with EOI (FF D8 … FF D9). */
export function looksLikeJpeg(bytes: Uint8Array): boolean {
  const n = bytes.byteLength;
  return n >= 4 && bytes[0] === 0xff && bytes[1] === SOI && bytes[n - 2] === 0xff && bytes[n - 1] === EOI;
}

/**
 * The picture size from the first SOFn segment, or null when `bytes` is not a JPEG or has no
 * frame header before its scan data. Never reads past the buffer.
 */
export function readJpegInfo(bytes: Uint8Array): JpegInfo | null {
  const n = bytes.byteLength;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) return null;
  let at = 2;
  while (at + 1 < n) {
    if (bytes[at] !== 0xff) return null; // segments must follow each other directly
    let marker = bytes[at + 1]!;
    // Any marker may be preceded by fill bytes 0xFF (T.81 B.1.1.2).
    while (marker === 0xff && at + 2 < n) {
      at++;
      marker = bytes[at + 1]!;
    }
    at += 2;
    if (isStandalone(marker)) {
      if (marker === EOI) return null;
      continue;
    }
    if (at + 2 > n) return null;
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (length < 2 || at + length > n) return null;
    if (isSof(marker)) {
      // Lf(16) P(8) Y(16) X(16) Nf(8)…
      if (length < 8) return null;
      const height = (bytes[at + 3]! << 8) | bytes[at + 4]!;
      const width = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      // Y = 0 means "defined by DNL later" (B.2.2); no viewer needs that case from us.
      if (width === 0 || height === 0) return null;
      return { width, height, sof: marker };
    }
    if (marker === SOS) return null; // scan data before any frame header
    at += length;
  }
  return null;
}
