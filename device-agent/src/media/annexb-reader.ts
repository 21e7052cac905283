// Why: the demo's H.264 track is a raw Annex B stream (ITU-T H.264 Annex B start codes); the
// agent splits it into NAL units and groups them into access units (one per frame) itself.

export const NAL_SLICE = 1;
export const NAL_IDR = 5;
export const NAL_SEI = 6;
export const NAL_SPS = 7;
export const NAL_PPS = 8;
export const NAL_AUD = 9;

export function nalType(nal: Buffer): number {
  return (nal[0] ?? 0) & 0x1f;
}

/** Splits an Annex B byte stream on 00 00 01 / 00 00 00 01 start codes. */
export function splitAnnexB(buf: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = -1;
  let i = 0;
  while (i + 2 < buf.length) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      if (start >= 0) nals.push(trimTrailingZeros(buf.subarray(start, i)));
      i += 3;
      start = i;
    } else i++;
  }
  if (start >= 0 && start < buf.length) nals.push(trimTrailingZeros(buf.subarray(start)));
  return nals.filter((n) => n.length > 0);
}

// A 4-byte start code leaves its leading zero on the previous NAL (trailing_zero_8bits).
function trimTrailingZeros(nal: Buffer): Buffer {
  let end = nal.length;
  while (end > 0 && nal[end - 1] === 0) end--;
  return nal.subarray(0, end);
}

function isVcl(type: number): boolean {
  return type >= 1 && type <= 5;
}

/** first_mb_in_slice is ue(v) right after the header: a leading 1 bit means 0, i.e. a new picture. */
function isFirstSliceOfPicture(nal: Buffer): boolean {
  return ((nal[1] ?? 0) & 0x80) !== 0;
}

/**
 * Groups NAL units into access units (§7.4.1.2.3): an AUD, SPS, PPS or SEI after a picture, or
 * the first slice of a new picture, starts a new access unit.
 */
export function groupAccessUnits(nals: Buffer[]): Buffer[][] {
  const units: Buffer[][] = [];
  let current: Buffer[] = [];
  let hasVcl = false;
  for (const nal of nals) {
    const type = nalType(nal);
    const startsNew =
      hasVcl && ((type >= NAL_SEI && type <= NAL_AUD) || (isVcl(type) && isFirstSliceOfPicture(nal)));
    if (startsNew) {
      units.push(current);
      current = [];
      hasVcl = false;
    }
    current.push(nal);
    if (isVcl(type)) hasVcl = true;
  }
  if (current.length > 0) units.push(current);
  return units;
}

export function isIdrAccessUnit(unit: Buffer[]): boolean {
  return unit.some((n) => nalType(n) === NAL_IDR);
}
