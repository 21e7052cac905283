// Why: what happened, across every camera — motion events newest first, grouped by day, with
// their pictures, time and camera; a tap opens that camera at that moment. The list comes from
// the edge's event index (names and times only); the pictures are this device's own copies of
// thumbnails fetched from the cameras (picture-cache.ts), a camera icon until one is.
import "./events-page.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Camera } from "../../../protocol/accounts.ts";
import type { IndexedEvent } from "../../../protocol/events-api.ts";
import { cameraNameOf, eventKindLabel, eventTime, filterableCameras, groupByDay, mergeEvents, olderThan } from "../lib/event-timeline.ts";
import { eventPictureKey } from "../lib/picture-cache-policy.ts";
import type { UiError } from "../lib/session-state.ts";
import { nextThumbnailRun } from "../lib/event-timeline-thumbnails.ts";
import { fetchRunThumbnails, keptPictures } from "../session/event-thumbnail-sweep.ts";
import { listEvents } from "../session/events-api.ts";
import { useKeptPicture } from "./camera-picture.tsx";
import { FormError } from "./form-error.tsx";
import { CameraIcon } from "./icons.tsx";
import { linkTo } from "./use-route.ts";

export interface EventsPageProps {
  cameras: Camera[] | null;
  error: UiError | null;
}

/** Events per page: a day of a busy camera, without making the first answer slow. */
const PAGE = 40;
const ALL = "";

interface Timeline {
  events: IndexedEvent[];
  more: boolean;
  loading: boolean;
  error: UiError | null;
}

const EMPTY: Timeline = { events: [], more: false, loading: true, error: null };

export function EventsPage({ cameras, error }: EventsPageProps) {
  const [serial, setSerial] = useState(ALL);
  const [timeline, setTimeline] = useState<Timeline>(EMPTY);
  const filter = useRef(serial);
  filter.current = serial;
  const choices = useMemo(() => filterableCameras(cameras), [cameras]);

  /** One page from the edge, merged into what is shown (unless the filter changed meanwhile). */
  const load = useCallback(async (before: number | undefined, signal?: AbortSignal) => {
    const forSerial = filter.current;
    setTimeline((t) => ({ ...t, loading: true, error: null }));
    const res = await listEvents({ limit: PAGE, ...(before !== undefined ? { before } : {}), ...(forSerial ? { serial: forSerial } : {}) }, signal).catch(() => null);
    if (!res || signal?.aborted || filter.current !== forSerial) return;
    if (!res.ok) return setTimeline((t) => ({ ...t, loading: false, error: res.error }));
    setTimeline((t) => ({
      events: mergeEvents(t.events, res.value.events),
      // A refresh of the newest page must not forget that older pages are left.
      more: before === undefined && t.events.length > 0 ? t.more || res.value.more : res.value.more,
      loading: false,
      error: null,
    }));
  }, []);

  // The newest page, again whenever the filter changes.
  useEffect(() => {
    const abort = new AbortController();
    setTimeline(EMPTY);
    void load(undefined, abort.signal);
    return () => abort.abort();
  }, [serial, load]);

  // Back to the tab (say, after a notification): what happened meanwhile comes on top.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible") void load(undefined);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [load]);

  usePictureSweep(timeline.loading ? null : timeline.events, cameras);

  const now = Date.now();
  const days = groupByDay(timeline.events, now);
  const noPlayback = cameras !== null && cameras.length > 0 && choices.length === 0;

  return (
    <main class="page events" data-testid="events-page">
      <div class="page__head">
        <h1 class="page__title">Events</h1>
        {choices.length > 1 && (
          <label class="events__filter">
            <select class="field__input" aria-label="Camera" data-testid="events-filter" value={serial} onChange={(e) => setSerial((e.target as HTMLSelectElement).value)}>
              <option value={ALL}>All cameras</option>
              {choices.map((c) => (
                <option key={c.serial} value={c.serial}>
                  {c.name || c.serial}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <FormError error={error ?? timeline.error} />
      {noPlayback && <p class="muted" data-testid="events-no-playback">Your cameras were shared with you as a guest: only their owners and viewers see their events.</p>}
      {timeline.loading && timeline.events.length === 0 && !timeline.error && <p class="muted" data-testid="events-loading">Loading events…</p>}
      {!timeline.loading && !timeline.error && timeline.events.length === 0 && !noPlayback && (
        <div class="card empty" data-testid="events-empty">
          <CameraIcon width={32} height={32} stroke-width={1.5} />
          <p>{serial ? "No motion on this camera in the last 30 days." : "No motion yet. When a camera sees something move, it shows up here — the last 30 days of every camera you can play back."}</p>
        </div>
      )}
      {days.map((day) => (
        <section class="events__day" key={day.key} aria-label={day.label}>
          <h2 class="events__day-title">{day.label}</h2>
          <ul class="events__list">
            {day.events.map((e) => (
              <li key={`${e.serial}/${e.id}`}>
                <EventRow event={e} cameraName={cameraNameOf(cameras, e.serial)} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {timeline.more && (
        <button
          class="btn btn--ghost events__older"
          data-testid="events-older"
          disabled={timeline.loading}
          onClick={() => void load(olderThan(timeline.events))}
        >
          {timeline.loading ? "Loading…" : "Load older"}
        </button>
      )}
      {!timeline.more && timeline.events.length > 0 && <p class="muted events__end">Events are kept for 30 days.</p>}
    </main>
  );
}

/**
 * Events whose picture this tab already asked a camera for (as `serial/id`). Kept for the tab's
 * life, not the page's: an event the camera has no picture of (pruned, or none made) would
 * otherwise cost a session on every visit to the page.
 */
const askedThisTab = new Set<string>();

/**
 * Fetches the pictures of shown events this device has none of, one camera at a time
 * (lib/event-timeline-thumbnails.ts decides which), while the page is open and visible. Each
 * event is asked for once per tab, and a camera that could not be reached is not tried again
 * during this visit.
 */
function usePictureSweep(events: IndexedEvent[] | null, cameras: Camera[] | null): void {
  const latest = useRef({ events, cameras });
  latest.current = { events, cameras };
  const unreachable = useRef(new Set<string>());
  const running = useRef(false);
  const abort = useRef<AbortController | null>(null);

  const pump = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      abort.current ??= new AbortController();
      const signal = abort.current.signal;
      while (!signal.aborted && document.visibilityState === "visible") {
        const { events: shown, cameras: known } = latest.current;
        if (!shown || shown.length === 0) return;
        const kept = await keptPictures(shown);
        const run = nextThumbnailRun(shown, known, (e) => kept.has(`${e.serial}/${e.id}`) || askedThisTab.has(`${e.serial}/${e.id}`), unreachable.current);
        if (!run) return;
        for (const e of run.events) askedThisTab.add(`${e.serial}/${e.id}`);
        if (!(await fetchRunThumbnails(run, signal))) unreachable.current.add(run.serial);
      }
    } finally {
      running.current = false;
    }
  }, []);

  useEffect(() => {
    void pump();
  }, [events, cameras, pump]);

  useEffect(() => {
    const onVisible = () => void pump();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      abort.current?.abort();
    };
  }, [pump]);
}

function EventRow({ event, cameraName }: { event: IndexedEvent; cameraName: string }) {
  const picture = useKeptPicture(eventPictureKey(event.serial, event.id))?.url ?? null;
  const time = eventTime(event.startedAt);
  return (
    <a
      class="event"
      data-testid={`event-${event.serial}-${event.id}`}
      aria-label={`${eventKindLabel(event.kind)} at ${time}, ${cameraName}`}
      {...linkTo({ name: "camera", serial: event.serial, event: event.id })}
    >
      <span class="event__picture" data-has-picture={String(picture !== null)}>
        {picture ? <img src={picture} alt="" decoding="async" /> : <CameraIcon />}
      </span>
      <span class="event__body">
        <span class="event__line">
          <span class="event__time">{time}</span>
          <span class="event__kind">{eventKindLabel(event.kind)}</span>
        </span>
        <span class="event__camera">{cameraName}</span>
      </span>
    </a>
  );
}

