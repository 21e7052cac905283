// Why: a grant costs one HTTP round trip (plus the edge's checks) before signaling can begin. A
// person presses a camera before the click lands — the pointer goes down ~100 ms (a tap often
// more) before the click — so the list asks for the grant then, and the camera page uses it
// instead of asking again (issue 12, item 5: pre-connect when a camera is about to be opened).
// The grant is single-use and lives VIEWER_TICKET_TTL_SECONDS; one that is not used just expires,
// and holds no viewer slot (the hub counts sockets, not grants).
import { VIEWER_TICKET_TTL_SECONDS } from "../../../protocol/auth.ts";
import type { CreateSessionRequest, CreateSessionResponse } from "../../../protocol/http.ts";
import { lastViewerNat } from "../nat/viewer-nat-cache.ts";
import { createSession, type ApiResult } from "./api.ts";

/** A prefetched grant is used only this fresh: the socket must open well inside the grant's life. */
export const PREFETCH_MAX_AGE_MS = (VIEWER_TICKET_TTL_SECONDS - 20) * 1000;

export type GrantRequester = (body: CreateSessionRequest) => Promise<ApiResult<CreateSessionResponse>>;

interface Pending {
  at: number;
  result: Promise<ApiResult<CreateSessionResponse>>;
}

export class GrantPrefetch {
  private readonly pending = new Map<string, Pending>();
  private readonly requester: GrantRequester;
  private readonly now: () => number;

  constructor(requester: GrantRequester, now: () => number = () => Date.now()) {
    this.requester = requester;
    this.now = now;
  }

  /** Asks for a grant for `body.serial` unless a fresh one is already on its way. */
  prefetch(body: CreateSessionRequest): void {
    this.prune();
    if (this.pending.has(body.serial)) return;
    const result = this.requester(body).catch((): ApiResult<CreateSessionResponse> => ({ ok: false, error: { code: "network_error" } }));
    this.pending.set(body.serial, { at: this.now(), result });
  }

  /**
   * The prefetched grant for `serial`, once (single-use), if it is fresh and was granted; null
   * otherwise — the caller then asks for one as usual (a failed prefetch is never shown: the
   * real request says why, with current facts).
   */
  async take(serial: string): Promise<CreateSessionResponse | null> {
    this.prune();
    const p = this.pending.get(serial);
    if (!p) return null;
    this.pending.delete(serial);
    const r = await p.result;
    if (!r.ok || this.now() - p.at > PREFETCH_MAX_AGE_MS) return null;
    return r.value;
  }

  private prune(): void {
    const now = this.now();
    for (const [serial, p] of this.pending) if (now - p.at > PREFETCH_MAX_AGE_MS) this.pending.delete(serial);
  }
}

/**
 * What a grant request carries: the serial, the label's code when there is no account, and the
 * connection test's latest verdict — the camera skips waiting for a direct path both NATs rule
 * out (protocol/http.ts viewerNat).
 */
export function grantRequest(serial: string, accessCode?: string): CreateSessionRequest {
  const viewerNat = lastViewerNat()?.side;
  return { serial, ...(accessCode !== undefined ? { accessCode } : {}), ...(viewerNat ? { viewerNat } : {}) };
}

/** The app's one prefetcher: the camera list fills it, the viewer session takes from it. */
export const grants = new GrantPrefetch((body) => createSession(body));

/** A signed-in person is about to open this camera (pointer down, hover, keyboard focus). */
export function aboutToOpen(serial: string): void {
  grants.prefetch(grantRequest(serial));
}
