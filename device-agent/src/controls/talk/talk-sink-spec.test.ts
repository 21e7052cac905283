// --talk-sink / PORTHOLE_TALK_SINK: where a talker's voice goes, checked at startup.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.ts";
import { AgentError } from "../../errors.ts";
import { silentLogger } from "../../log.ts";
import { createTalkSink } from "./index.ts";
import { parseTalkSinkSpec } from "./talk-sink-spec.ts";

const base = ["--serial", "CAM-0001", "--token", "t0k"];

function talkSinkOf(argv: string[], env: Record<string, string> = {}) {
  const r = loadConfig([...base, ...argv], env);
  if (r.help) throw new Error("unexpected help");
  return r.config.talkSink;
}

describe("talk sink config", () => {
  it("parses none, file:<path> and alsa:<device>", () => {
    expect(parseTalkSinkSpec("none")).toEqual({ kind: "none" });
    expect(parseTalkSinkSpec("file:/var/lib/porthole/talk.opus")).toEqual({ kind: "file", path: "/var/lib/porthole/talk.opus" });
    expect(parseTalkSinkSpec("alsa:hw:0,0")).toEqual({ kind: "alsa", device: "hw:0,0" });
    expect(parseTalkSinkSpec("alsa:plughw:CARD=Device,DEV=0")).toEqual({ kind: "alsa", device: "plughw:CARD=Device,DEV=0" });
  });

  it("turns talk off by default, takes the environment and prefers the flag", () => {
    expect(talkSinkOf([])).toEqual({ kind: "none" });
    expect(talkSinkOf([], { PORTHOLE_TALK_SINK: "alsa:default" })).toEqual({ kind: "alsa", device: "default" });
    expect(talkSinkOf(["--talk-sink", "file:/tmp/t.opus"], { PORTHOLE_TALK_SINK: "alsa:default" })).toEqual({ kind: "file", path: "/tmp/t.opus" });
  });

  it("refuses an unknown sink, a file sink without a file name and a shell-ish ALSA name as usage errors", () => {
    for (const bad of ["speaker", "file:", "file:/tmp/dir/", "alsa:", "alsa:default;rm -rf /"]) {
      let err: unknown;
      try {
        talkSinkOf(["--talk-sink", bad]);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(AgentError);
      expect((err as AgentError).code).toBe("usage");
      expect((err as AgentError).message).toMatch(/--talk-sink must be none, file:<path> or alsa:<device>/);
    }
  });

  it("leaves talk off with a reason for the owner when there is no sink, no ffmpeg, or an ALSA device that does not open", () => {
    const host = (hasFfmpeg: boolean, opens: boolean) => ({ hasFfmpeg: () => hasFfmpeg, alsaOpens: () => opens });
    expect(createTalkSink({ kind: "none" }, silentLogger)).toMatchObject({ sink: null, note: expect.stringMatching(/--talk-sink/) });
    expect(createTalkSink({ kind: "alsa", device: "default" }, silentLogger, host(false, true))).toMatchObject({ sink: null, note: expect.stringMatching(/install ffmpeg/) });
    expect(createTalkSink({ kind: "alsa", device: "hw:1" }, silentLogger, host(true, false))).toMatchObject({ sink: null, note: expect.stringMatching(/ALSA hw:1\) could not be opened/) });
    expect(createTalkSink({ kind: "alsa", device: "default" }, silentLogger, host(true, true)).sink?.description).toBe("alsa:default");
    expect(createTalkSink({ kind: "file", path: "/tmp/t.opus" }, silentLogger).sink?.description).toBe("file:/tmp/t.opus");
  });
});
