import { describe, expect, it } from "vitest";
import { cropWindow } from "./crop-window.ts";
import { DAY_LOOK, NIGHT_LOOK } from "./image-look.ts";
import { buildEncoderArgs, buildFilterGraph, type EncoderPlan } from "./pipeline-args.ts";

const sd = { width: 640, height: 360, fps: 15, bitrateKbps: 600 };
const hd = { width: 1280, height: 720, fps: 15, bitrateKbps: 1800 };
const plan = (over: Partial<EncoderPlan> = {}): EncoderPlan => ({
  input: { kind: "testsrc" },
  outputs: [{ quality: "sd", profile: sd, vp8Port: 5000, h264Port: 5002 }],
  zmqPort: 7000,
  flip: false,
  mirror: false,
  look: DAY_LOOK,
  view: cropWindow({ pan: 0, tilt: 0, zoom: 0 }),
  aspect: 16 / 9,
  ...over,
});

describe("processed pipeline arguments", () => {
  it("puts the command socket, the named crop and the look before the per-quality scaler", () => {
    const g = buildFilterGraph(plan());
    expect(g.startsWith("[0:v]zmq=b=tcp\\\\\\://127.0.0.1\\\\\\:7000,crop@ptz=")).toBe(true);
    expect(g).toContain("eq@look=saturation=1:brightness=0:contrast=1:gamma=1");
    expect(g).toContain("[p_sd]scale=640:360,setsar=1,fps=15,format=yuv420p,split=2[sd_vp8][sd_h264]");
    // Commas inside expressions are escaped for the graph parser.
    expect(g).toContain("min(iw\\,ih*");
    expect(g).not.toContain("hflip");
  });

  it("mirrors and flips the whole picture before the crop, so pan keeps its on-screen direction", () => {
    const g = buildFilterGraph(plan({ mirror: true, flip: true, look: NIGHT_LOOK }));
    expect(g.indexOf("hflip")).toBeLessThan(g.indexOf("crop@ptz"));
    expect(g.indexOf("vflip")).toBeLessThan(g.indexOf("crop@ptz"));
    expect(g).toContain("eq@look=saturation=0:");
  });

  it("encodes each quality in VP8 and H.264 at its own bitrate, and audio only when asked", () => {
    const args = buildEncoderArgs(plan({ outputs: [{ quality: "sd", profile: sd, vp8Port: 1, h264Port: 2 }, { quality: "hd", profile: hd, vp8Port: 3, h264Port: 4 }] }));
    const text = args.join(" ");
    expect(text).toContain("split=2[p_sd][p_hd]");
    expect(text).toContain("-map [hd_h264]");
    expect(text).toContain("-b:v 1800k");
    expect(text).toContain("rtp://127.0.0.1:4?pkt_size=1200");
    expect(text).not.toContain("sine=");
    expect(text).toContain("testsrc2=size=1280x720:rate=15");
  });

  it("encodes only the codecs asked for (an on-demand HD encoder for H.264 viewers only)", () => {
    const text = buildEncoderArgs(plan({ outputs: [{ quality: "hd", profile: hd, h264Port: 4 }] })).join(" ");
    expect(text).toContain("split=1[hd_h264]");
    expect(text).not.toContain("libvpx");
  });

  it("loops the demo clip and copies its Opus instead of re-encoding", () => {
    const args = buildEncoderArgs(plan({ input: { kind: "clip", video: "/a/demo.vp8.ivf", audio: "/a/demo.opus.ogg" }, audioPort: 9 }));
    const text = args.join(" ");
    expect(text).toContain("-stream_loop -1 -re -i /a/demo.vp8.ivf");
    expect(text).toContain("-map 1:a:0 -vn -c:a copy -f rtp rtp://127.0.0.1:9");
  });
});
