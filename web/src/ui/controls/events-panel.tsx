// Why: "what moved while I was away" on the camera itself — its motion events newest first with
// their pictures, new ones arriving live (motion.event), older ones a page at a time. A tap plays
// the recorded moment in the Recordings card (a little before it started), or shows the picture
// large when nothing was recorded; "Live now" goes back. A notification's ?event=<id> opens its
// event here (event-list-request.ts). Pictures come over the P2P data channel once per device
// (event-thumbnails.ts); the edge never sees them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { MotionEvent } from "../../../../protocol/controls.ts";
import { EVENTS_PAGE_SIZE, EVENTS_RECENT_MS, deepLinkQuery, durationLabel, eventTimeLabel, mergeEvents, olderPageParams, playFromTime } from "../../lib/event-list.ts";
import { onOpenEventRequest, takeOpenEventRequest } from "../../lib/event-list-request.ts";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";
import { fetchEventThumbnail } from "../../session/event-thumbnails.ts";
import "./events-panel.css";

export interface EventsPanelProps {
  client: ControlClient;
  serial: string;
  /** The viewer may change the camera's settings (offered "Turn on" when detection is off). */
  canChangeSettings: boolean;
  /** Recordings can be played here (the Recordings card is shown). */
  canPlay: boolean;
  /** A recording is playing in the Recordings card now. */
  playing: boolean;
  onPlay(at: number, until: number): void;
  onLive(): void;
}

type Opened = { event: MotionEvent; as: "recording" | "picture" };

function describeError(e: unknown): string {
  if (e instanceof ControlRequestError) {
    if (e.code === "forbidden") return "Your access to this camera does not include its events.";
    if (e.code === "unavailable") return "The connection to the camera closed.";
    if (e.code === "timeout") return "The camera did not answer in time. Try again.";
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

const tzOffset = (t: number): number => -new Date(t).getTimezoneOffset() * 60_000;
const timeOf = (t: number): string => eventTimeLabel(t, Date.now(), tzOffset(t));

export function EventsPanel(p: EventsPanelProps) {
  const { client, serial } = p;
  const [events, setEvents] = useState<MotionEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [older, setOlder] = useState<{ from: number; to: number; limit: number } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [noOlder, setNoOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [motionOn, setMotionOn] = useState<boolean | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [pictures, setPictures] = useState<Record<string, string>>({});
  const asked = useRef(new Set<string>());
  const alive = useRef(true);
  const listRef = useRef<HTMLDivElement>(null);
  const eventsRef = useRef<MotionEvent[]>([]);
  eventsRef.current = events;

  const add = (incoming: MotionEvent[]) => setEvents((kept) => mergeEvents(kept, incoming));

  // The first page (the last 24 h), live pushes, and whether the camera detects motion at all.
  useEffect(() => {
    alive.current = true;
    const offPush = client.on("motion.event", (e) => add([e]));
    const offSettings = client.on("settings.changed", ({ settings }) => setMotionOn(settings.motion?.enabled ?? true));
    void client.request("settings.get", {}).then(
      (r) => alive.current && setMotionOn(r.settings.motion?.enabled ?? true),
      () => undefined,
    );
    const now = Date.now();
    client.request("events.list", { from: now - EVENTS_RECENT_MS, to: now + 60_000, limit: EVENTS_PAGE_SIZE }).then(
      (r) => {
        if (!alive.current) return;
        add(r.events);
        // Past the last 24 h there may be more: "Load older" asks from there back.
        setOlder(olderPageParams(r.events, r.more) ?? { from: 0, to: now - EVENTS_RECENT_MS, limit: EVENTS_PAGE_SIZE });
        setLoaded(true);
      },
      (e) => {
        if (!alive.current) return;
        setError(describeError(e));
        setLoaded(true);
      },
    );
    return () => {
      alive.current = false;
      offPush();
      offSettings();
    };
  }, [client]);

  // Pictures: each event's once, as soon as the camera has made it (the helper caches them).
  useEffect(() => {
    for (const e of events) {
      if (!e.thumbnail || asked.current.has(e.id)) continue;
      asked.current.add(e.id);
      fetchEventThumbnail(client, serial, e.id, e.start).then(
        (blob) => alive.current && setPictures((m) => ({ ...m, [e.id]: URL.createObjectURL(blob) })),
        () => asked.current.delete(e.id), // asked again with the event's next report
      );
    }
  }, [events, client, serial]);
  const picturesRef = useRef(pictures);
  picturesRef.current = pictures;
  useEffect(() => () => Object.values(picturesRef.current).forEach((u) => URL.revokeObjectURL(u)), []);

  // Back to live from the Recordings card's own button closes the event played from here.
  const wasPlaying = useRef(false);
  useEffect(() => {
    if (wasPlaying.current && !p.playing && opened?.as === "recording") setOpened(null);
    wasPlaying.current = p.playing;
  }, [p.playing]);

  const open = (e: MotionEvent) => {
    setNotice(null);
    const at = p.canPlay ? playFromTime(e) : null;
    if (at === null) {
      setOpened({ event: e, as: "picture" });
      if (p.playing) p.onLive();
      return;
    }
    setOpened({ event: e, as: "recording" });
    p.onPlay(at, e.recording?.to ?? e.end ?? e.start);
  };

  const liveNow = () => {
    setOpened(null);
    p.onLive();
    document.querySelector('[data-testid="video"]')?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  };

  // A notification's event: found in the list, or listed around its time; then opened.
  useEffect(() => {
    const take = async () => {
      const id = takeOpenEventRequest(serial);
      if (!id) return;
      let e = eventsRef.current.find((x) => x.id === id);
      if (!e) {
        try {
          const r = await client.request("events.list", deepLinkQuery(id, Date.now()));
          add(r.events);
          e = r.events.find((x) => x.id === id);
        } catch (err) {
          return alive.current && setNotice(`That event could not be opened: ${describeError(err)}`);
        }
      }
      if (!alive.current) return;
      if (!e) return setNotice("That motion event is no longer on the camera — it was deleted to make room for newer ones.");
      open(e);
      // After the render that lists it.
      requestAnimationFrame(() => listRef.current?.querySelector(`[data-id="${id}"]`)?.scrollIntoView({ block: "nearest", behavior: "smooth" }));
    };
    void take();
    return onOpenEventRequest(() => void take());
  }, [client, serial]);

  const loadOlder = async () => {
    if (!older) return;
    setLoadingOlder(true);
    try {
      const r = await client.request("events.list", older);
      if (!alive.current) return;
      add(r.events);
      const next = olderPageParams(r.events, r.more);
      setOlder(next);
      if (!next) setNoOlder(true);
    } catch (e) {
      if (alive.current) setError(describeError(e));
    } finally {
      if (alive.current) setLoadingOlder(false);
    }
  };

  const turnOn = async () => {
    try {
      await client.request("settings.set", { patch: { motion: { enabled: true } } });
      setMotionOn(true);
    } catch (e) {
      setError(describeError(e));
    }
  };

  const shown = opened ? (events.find((e) => e.id === opened.event.id) ?? opened.event) : null;

  return (
    <section class="card camera-events" data-testid="events-panel">
      <div class="camera-events__head">
        <h3 class="card__title">Motion</h3>
        {events.length > 0 && <span class="muted camera-events__count">{events.length === 1 ? "1 event" : `${events.length} events`}</span>}
        {opened && (
          <button type="button" class="btn btn--primary btn--small camera-events__live" data-testid="events-live" onClick={liveNow}>
            <span class="camera-events__live-dot" aria-hidden="true" /> Live now
          </button>
        )}
      </div>

      {shown && opened?.as === "recording" && (
        <p class="camera-events__status" data-testid="event-playing" data-id={shown.id} role="status">
          Playing the recording from {timeOf(playFromTime(shown) ?? shown.start)} in Recordings below.
        </p>
      )}
      {shown && opened?.as === "picture" && (
        <figure class="camera-events__viewer" data-testid="event-viewer" data-id={shown.id}>
          {pictures[shown.id] ? (
            <img src={pictures[shown.id]} alt={`Motion at ${timeOf(shown.start)}`} data-testid="event-viewer-picture" />
          ) : (
            <div class="camera-events__viewer-empty">{shown.thumbnail ? "Loading the picture…" : "The camera has no picture of this event."}</div>
          )}
          <figcaption>
            Motion at {timeOf(shown.start)} · {durationLabel(shown)} · not recorded
          </figcaption>
        </figure>
      )}
      {notice && (
        <p class="camera-events__notice" data-testid="event-notice" role="alert">
          {notice}
        </p>
      )}

      {motionOn === false && (
        <p class="camera-events__empty" data-testid="events-motion-off">
          Motion detection is off on this camera.{" "}
          {p.canChangeSettings ? (
            <button type="button" class="btn btn--small" data-testid="events-motion-on" onClick={() => void turnOn()}>
              Turn on
            </button>
          ) : (
            "Ask the camera's owner to turn it on."
          )}
        </p>
      )}
      {loaded && events.length === 0 && !error && motionOn !== false && (
        <p class="muted camera-events__empty" data-testid="events-empty">
          No motion in the last 24 hours. New events appear here as they happen.
        </p>
      )}

      {events.length > 0 && (
        <div class="camera-events__list" ref={listRef} data-testid="events-list">
          {events.map((e) => {
            const url = pictures[e.id];
            const selected = opened?.event.id === e.id;
            return (
              <button
                type="button"
                key={e.id}
                class={`camera-events__item ${selected ? "is-selected" : ""}`}
                data-testid="event-item"
                data-id={e.id}
                data-start={String(e.start)}
                data-end={e.end === null ? "" : String(e.end)}
                data-recorded={String(e.recording !== null)}
                aria-pressed={selected}
                aria-label={`Motion at ${timeOf(e.start)}, ${durationLabel(e)}${e.recording ? ", recorded: play it" : ", show the picture"}`}
                onClick={() => open(e)}
              >
                <span class="camera-events__thumb">
                  {url ? <img src={url} alt="" data-testid="event-thumbnail" /> : <span class="camera-events__thumb-empty" aria-hidden="true" />}
                  {e.recording && p.canPlay && <span class="camera-events__play" aria-hidden="true">▶</span>}
                  <span class={`camera-events__duration ${e.end === null ? "camera-events__duration--ongoing" : ""}`}>{durationLabel(e)}</span>
                </span>
                <span class="camera-events__time">{timeOf(e.start)}</span>
              </button>
            );
          })}
        </div>
      )}

      {loaded && (older || noOlder) && (
        <div class="camera-events__more">
          {older ? (
            <button type="button" class="btn btn--ghost btn--small" data-testid="events-older" disabled={loadingOlder} onClick={() => void loadOlder()}>
              {loadingOlder ? "Loading…" : "Load older"}
            </button>
          ) : (
            <span class="muted">No older events on the camera.</span>
          )}
        </div>
      )}
      {error && (
        <p class="camera-events__error" data-testid="events-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
