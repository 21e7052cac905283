// Why: the edge's event index (protocol/events-api.ts): what happened across the person's
// cameras, names and times only — the pictures come from each camera, peer-to-peer.
import { EventsPageSchema, type EventsPage } from "../../../protocol/events-api.ts";
import { request, type ApiResult } from "./api.ts";

export interface EventsRequest {
  /** Unix ms, exclusive: the oldest start already shown. */
  before?: number;
  limit?: number;
  serial?: string;
}

/** GET /api/events: newest first; `before` pages to older ones. */
export function listEvents(query: EventsRequest = {}, signal?: AbortSignal): Promise<ApiResult<EventsPage>> {
  const params = new URLSearchParams();
  if (query.before !== undefined) params.set("before", String(query.before));
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  if (query.serial !== undefined) params.set("serial", query.serial);
  const qs = params.toString();
  return request(EventsPageSchema, `/api/events${qs ? `?${qs}` : ""}`, { method: "GET", ...(signal ? { signal } : {}) });
}
