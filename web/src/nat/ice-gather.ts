// Why: every network probe of the connection test is "make a peer connection with these ICE
// servers, let it gather, read the candidates" (RFC 8445 §5.1.1); this runs one such gathering
// with a deadline, since a silent STUN/TURN server makes browsers wait tens of seconds.
import { parseCandidate, type ParsedCandidate } from "./candidate.ts";

export interface GatheredCandidate extends ParsedCandidate {
  /** The ICE server URL it came from (srflx, relay), when the browser says. */
  url: string | null;
  /** Milliseconds since gathering started. */
  atMs: number;
  raw: string;
}

export interface Gathering {
  pc: RTCPeerConnection;
  candidates: GatheredCandidate[];
  /** The browser finished gathering (every server answered or gave up) before the deadline. */
  complete: boolean;
}

/** Starts gathering on a new connection (a data channel gives the offer an m-line). */
export async function startGathering(config: RTCConfiguration): Promise<{ pc: RTCPeerConnection; offer: RTCSessionDescriptionInit; candidates: GatheredCandidate[]; done: Promise<void>; started: number }> {
  const pc = new RTCPeerConnection(config);
  pc.createDataChannel("probe");
  const candidates: GatheredCandidate[] = [];
  const started = performance.now();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  pc.addEventListener("icecandidate", (e: RTCPeerConnectionIceEvent) => {
    if (!e.candidate || !e.candidate.candidate) return finish();
    const parsed = parseCandidate(e.candidate.candidate);
    if (!parsed) return;
    // `url` moved from the event to the candidate in the spec; browsers have one or the other.
    const url = (e.candidate as RTCIceCandidate & { url?: string | null }).url ?? (e as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null;
    candidates.push({ ...parsed, url: url || null, atMs: performance.now() - started, raw: e.candidate.candidate });
  });
  pc.addEventListener("icegatheringstatechange", () => {
    if (pc.iceGatheringState === "complete") finish();
  });
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  return { pc, offer, candidates, done, started };
}

/** Waits for `done`, `until()` or the deadline, whichever comes first. */
export async function waitGathering(g: { candidates: GatheredCandidate[]; done: Promise<void> }, timeoutMs: number, until?: (c: GatheredCandidate[]) => boolean): Promise<boolean> {
  let complete = false;
  const deadline = Date.now() + timeoutMs;
  void g.done.then(() => (complete = true));
  while (!complete && Date.now() < deadline && !(until?.(g.candidates) ?? false)) await sleep(50);
  return complete;
}

/** Gathers with `config` and closes the connection. */
export async function gather(config: RTCConfiguration, timeoutMs: number, until?: (c: GatheredCandidate[]) => boolean): Promise<Omit<Gathering, "pc">> {
  const g = await startGathering(config);
  try {
    const complete = await waitGathering(g, timeoutMs, until);
    return { candidates: [...g.candidates], complete };
  } finally {
    g.pc.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
