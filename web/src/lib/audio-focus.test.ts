import { describe, expect, it } from "vitest";
import { createAudioFocus, followAudioFocus } from "./audio-focus.ts";

const media = (muted: boolean) => ({ muted }) as HTMLMediaElement;

describe("audio focus: one sound at a time between live and playback", () => {
  it("mutes live audio while a recording plays with sound, and gives it back when the recording lets go", () => {
    const focus = createAudioFocus();
    const live = media(false);
    const changes: boolean[] = [];
    followAudioFocus(focus, "live", live, (m) => changes.push(m));
    focus.take("playback");
    expect(live.muted).toBe(true);
    focus.release("playback");
    expect(live.muted).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it("leaves a live view that was muted anyway muted after the recording stops", () => {
    const focus = createAudioFocus();
    const live = media(true);
    followAudioFocus(focus, "live", live);
    focus.take("playback");
    focus.release("playback");
    expect(live.muted).toBe(true);
  });

  it("mutes the recording when the person turns live sound on, and ignores a release by a non-holder", () => {
    const focus = createAudioFocus();
    const rec = media(false);
    followAudioFocus(focus, "playback", rec);
    focus.take("playback");
    expect(rec.muted).toBe(false);
    focus.take("live");
    expect(rec.muted).toBe(true);
    focus.release("playback"); // not the holder: nothing changes
    expect(focus.holder).toBe("live");
    expect(rec.muted).toBe(true);
  });

  it("stops following once unsubscribed", () => {
    const focus = createAudioFocus();
    const live = media(false);
    const stop = followAudioFocus(focus, "live", live);
    stop();
    focus.take("playback");
    expect(live.muted).toBe(false);
  });
});
