// Why: `stream.quality` — each viewer picks SD or HD for their own session, like the main/sub
// streams of classic cameras. The switch happens in the session's feed (webrtc/feed-stream.ts)
// at the new stream's next keyframe; this handler answers once it happened and pushes the
// stream.quality event to that viewer. The hello lists the qualities the source can make.
import type { MediaHub } from "../../media/media-hub.ts";
import type { FeatureFactory } from "../camera-controls.ts";

export interface StreamFeatureOptions {
  /** Why the camera has one quality (shown to the owner). */
  note?: string;
}

export function streamFeature(hub: MediaHub, options: StreamFeatureOptions = {}): FeatureFactory {
  return (ctx) => ({
    name: "stream",
    features: { qualities: [...hub.qualities], ...(options.note ? { notes: [options.note] } : {}) },
    handlers: {
      "stream.quality": async ({ quality }, session) => {
        const profile = await session.stream.setQuality(quality);
        ctx.logger.info({ event: "feature", feature: "stream", action: "quality", sessionId: session.sessionId, detail: quality });
        session.emit("stream.quality", { quality, profile });
        return { quality, profile };
      },
    },
  });
}
