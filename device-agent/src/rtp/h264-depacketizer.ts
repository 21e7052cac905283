// Why: snapshots and recordings need the camera's H.264 back as access units (Annex B), not RTP
// payloads. Undoes RFC 6184 non-interleaved mode: single NAL unit (§5.6), STAP-A (§5.7.1) and
// FU-A (§5.8). Packets come in-process from the media hub, so there is no reordering; a broken
// FU-A (missing start) drops that NAL rather than emitting garbage.

import { isIdrAccessUnit } from "../media/annexb-reader.ts";

const START_CODE = Buffer.from([0, 0, 0, 1]);

export interface AccessUnit {
  /** RTP timestamp (90 kHz) shared by the unit's packets. */
  timestamp: number;
  /** NAL units without start codes. */
  nals: Buffer[];
  /** Contains an IDR slice (type 5). */
  idr: boolean;
}

export function accessUnitToAnnexB(au: AccessUnit): Buffer {
  return Buffer.concat(au.nals.flatMap((n) => [START_CODE, n]));
}

export interface H264Depacketizer {
  /** Feeds one RTP payload; returns the access units it completes (marker bit, or a new
   * timestamp closing a unit whose marker was lost), oldest first. */
  push(payload: Buffer, timestamp: number, marker: boolean): AccessUnit[];
  reset(): void;
}

export function createH264Depacketizer(): H264Depacketizer {
  let nals: Buffer[] = [];
  let ts: number | null = null;
  let fu: Buffer[] | null = null;

  const flush = (): AccessUnit | null => {
    if (ts === null || nals.length === 0) {
      nals = [];
      ts = null;
      return null;
    }
    const au: AccessUnit = { timestamp: ts, nals, idr: isIdrAccessUnit(nals) };
    nals = [];
    ts = null;
    return au;
  };

  return {
    push(payload, timestamp, marker) {
      const done: AccessUnit[] = [];
      // A new timestamp without a marker on the previous frame: close the previous unit.
      if (ts !== null && timestamp !== ts) {
        const prev = flush();
        if (prev) done.push(prev);
        fu = null;
      }
      ts = timestamp;
      if (payload.length > 0) {
        const type = payload[0]! & 0x1f;
        if (type >= 1 && type <= 23) {
          nals.push(payload);
        } else if (type === 24) {
          // STAP-A: [hdr][size16][nal][size16][nal]…
          let at = 1;
          while (at + 2 <= payload.length) {
            const size = payload.readUInt16BE(at);
            at += 2;
            if (size === 0 || at + size > payload.length) break;
            nals.push(payload.subarray(at, at + size));
            at += size;
          }
        } else if (type === 28 && payload.length > 2) {
          const fuHeader = payload[1]!;
          const start = (fuHeader & 0x80) !== 0;
          const end = (fuHeader & 0x40) !== 0;
          if (start) fu = [Buffer.from([(payload[0]! & 0xe0) | (fuHeader & 0x1f)])];
          if (fu) {
            fu.push(payload.subarray(2));
            if (end) {
              nals.push(Buffer.concat(fu));
              fu = null;
            }
          }
        }
        // Other types (STAP-B, MTAP, FU-B) are not used in packetization-mode 1: ignored.
      }
      if (marker) {
        fu = null;
        const au = flush();
        if (au) done.push(au);
      }
      return done;
    },
    reset() {
      nals = [];
      ts = null;
      fu = null;
    },
  };
}
