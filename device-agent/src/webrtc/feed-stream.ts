// Why: a session's SessionStream (what `stream.quality` changes) on top of its video feed: a
// switch is the feed moving to the other quality's encoder at its next keyframe — same peer
// connection, same m-line, no renegotiation. Asked before media flows, it just picks the
// quality the feed will start on.
import type { Quality, QualityProfile } from "../../../protocol/index.ts";
import { ControlFailure } from "../controls/control-failure.ts";
import type { SessionStream } from "../controls/control-session.ts";
import type { MediaHub } from "../media/media-hub.ts";
import type { TrackFeed } from "./track-feed.ts";

export interface FeedStream extends SessionStream {
  /** The session's video feed started (on `quality`). */
  attach(feed: TrackFeed): void;
}

export function createFeedStream(hub: MediaHub): FeedStream {
  let feed: TrackFeed | undefined;
  let wanted: Quality = hub.qualities[0] ?? "sd";
  const profileOf = (q: Quality): QualityProfile => {
    const p = hub.source.profile?.(q);
    if (!p) throw ControlFailure.unsupported("This camera has one stream quality.");
    return p;
  };
  return {
    get quality() {
      return feed?.quality ?? wanted;
    },
    async setQuality(q) {
      if (!hub.qualities.includes(q)) {
        throw ControlFailure.unsupported(hub.qualities.length > 1 ? `This camera has no ${q} stream.` : "This camera has one stream quality.");
      }
      const profile = profileOf(q);
      wanted = q;
      if (feed) {
        try {
          // Inside the router's 9 s deadline, so the viewer gets this reason rather than a timeout.
          await feed.setQuality(q, 8_000);
        } catch (e) {
          throw new ControlFailure("device_refused", `The camera could not switch to ${q.toUpperCase()}: ${(e as Error).message}`);
        }
      }
      return profile;
    },
    attach(f) {
      feed = f;
    },
  };
}
