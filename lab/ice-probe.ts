// Why: when a pair fails or takes an unexpected path, the first question is which candidates
// each side had. This init script (run in the page before the PWA) records Chromium's local
// candidates and the ones the agent trickled in, and reads the selected pair from getStats —
// without changing the PWA.

/** Installed with page.addInitScript; keeps its findings on window.__labIce. */
export function installIceProbe(): void {
  const Native = window.RTCPeerConnection;
  const seen = { local: [] as string[], remote: [] as string[], pcs: [] as RTCPeerConnection[] };
  (window as unknown as { __labIce: typeof seen }).__labIce = seen;
  class ProbedPeerConnection extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      seen.pcs.push(this);
      this.addEventListener("icecandidate", (e) => {
        if (e.candidate?.candidate) seen.local.push(e.candidate.candidate);
      });
    }
    override addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
      if (candidate?.candidate) seen.remote.push(candidate.candidate);
      return super.addIceCandidate(candidate ?? undefined);
    }
  }
  window.RTCPeerConnection = ProbedPeerConnection;
}

export interface IceReport {
  local: string[];
  remote: string[];
  pair: string | null;
}

/** Evaluated in the page: candidate summaries ("srflx 198.51.100.22") and the selected pair. */
export async function readIceReport(): Promise<IceReport> {
  const seen = (window as unknown as { __labIce?: { local: string[]; remote: string[]; pcs: RTCPeerConnection[] } }).__labIce;
  const brief = (c: string) => {
    const parts = c.split(" ");
    const typ = parts[parts.indexOf("typ") + 1] ?? "?";
    return `${typ} ${parts[4] ?? "?"}:${parts[5] ?? "?"}`;
  };
  if (!seen) return { local: [], remote: [], pair: null };
  let pair: string | null = null;
  const pc = seen.pcs[seen.pcs.length - 1];
  if (pc) {
    const stats = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const byId = new Map(stats.map((s) => [s.id as string, s]));
    const transport = stats.find((s) => s.type === "transport");
    const selected = byId.get(transport?.selectedCandidatePairId as string);
    if (selected) {
      const side = (id: unknown) => {
        const c = byId.get(id as string);
        return c ? `${String(c.candidateType)} ${String(c.address)}:${String(c.port)}` : "?";
      };
      pair = `${side(selected.localCandidateId)} → ${side(selected.remoteCandidateId)}`;
    }
  }
  return { local: seen.local.map(brief), remote: seen.remote.map(brief), pair };
}

/**
 * Fault injection for the lab (page.addInitScript with `ms`): every candidate message of the
 * first ICE generation the PWA sends, end-of-candidates included, reaches the signaling socket
 * `ms` late, in order — a slow signaling uplink while the session is set up. The viewer's checks
 * then reach the camera before its candidates do, so the camera learns the viewer's addresses,
 * its TURN relay's among them, as peer-reflexive (RFC 8445 §7.3.1.3) — the race behind a
 * punchable pair that once took TURN (device-agent/src/webrtc/regular-nomination.ts). Later
 * generations (ICE restarts) go out at once: the fault is the first connect's.
 */
export function installLateCandidates(ms: number): void {
  const send = WebSocket.prototype.send;
  let firstUfrag: string | undefined;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
    if (typeof data === "string" && data.startsWith('{"type":"candidate"')) {
      const ufrag = /"usernameFragment":"([^"]+)"/.exec(data)?.[1];
      firstUfrag ??= ufrag;
      if (ufrag === undefined || ufrag === firstUfrag) {
        setTimeout(() => {
          if (this.readyState === WebSocket.OPEN) send.call(this, data);
        }, ms);
        return;
      }
    }
    send.call(this, data);
  };
}
