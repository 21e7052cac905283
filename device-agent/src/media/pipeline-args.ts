// Why: the ffmpeg command line of one processed-video encoder: decode the input, mirror/flip,
// crop (virtual PTZ), the night look, then per stream quality scale + fps and encode VP8 and
// H.264 to loopback RTP. The crop and the look are named filters (`crop@ptz`, `eq@look`) that a
// `zmq` filter at the head of the graph retargets at run time (filter-command-client.ts), so a
// moving PTZ never restarts ffmpeg. Pure: unit-tested without ffmpeg.
import type { Quality, QualityProfile } from "../../../protocol/index.ts";
import { cropExpressions, type CropWindow } from "./crop-window.ts";
import type { FfmpegInput } from "./ffmpeg-source.ts";
import type { Look } from "./image-look.ts";

/** A camera input, or the shipped demo clip decoded by ffmpeg (VP8 IVF + Ogg Opus, looped). */
export type PipelineInput = FfmpegInput | { kind: "clip"; video: string; audio: string };

export const CROP_FILTER = "crop@ptz";
export const LOOK_FILTER = "eq@look";

export interface EncoderPlan {
  input: PipelineInput;
  /** The qualities this process encodes, each to its own VP8 and/or H.264 RTP port. */
  outputs: { quality: Quality; profile: QualityProfile; vp8Port?: number; h264Port?: number }[];
  /** Opus RTP port when this process also carries the camera's audio. */
  audioPort?: number;
  zmqPort: number;
  flip: boolean;
  mirror: boolean;
  look: Look;
  view: CropWindow;
  /** Aspect ratio of the crop window (the output profiles' width/height). */
  aspect: number;
  /** Test pattern and V4L2 capture size. */
  captureSize?: string;
}

const rtp = (port: number): string => `rtp://127.0.0.1:${port}?pkt_size=1200`;

/** Escapes a value for a filtergraph option: `\` for the option parser, `\\` again for the graph. */
const graphValue = (v: string): string => v.replace(/[,:]/g, (c) => `\\${c}`);

export function lookOptions(l: Look): string {
  return `saturation=${l.saturation}:brightness=${l.brightness}:contrast=${l.contrast}:gamma=${l.gamma}`;
}

export function buildFilterGraph(plan: EncoderPlan): string {
  // The zmq filter binds a REP socket; loopback only. ':' in its address is escaped twice (once
  // for the option string, once for the graph parser).
  const head = [`zmq=b=tcp\\\\\\://127.0.0.1\\\\\\:${plan.zmqPort}`];
  if (plan.mirror) head.push("hflip");
  if (plan.flip) head.push("vflip");
  const c = cropExpressions(plan.view, plan.aspect);
  head.push(`${CROP_FILTER}=w=${graphValue(c.w)}:h=${graphValue(c.h)}:x=${graphValue(c.x)}:y=${graphValue(c.y)}`);
  head.push(`${LOOK_FILTER}=${lookOptions(plan.look)}`);
  const n = plan.outputs.length;
  const chains = [`[0:v]${head.join(",")},split=${n}${plan.outputs.map((o) => `[p_${o.quality}]`).join("")}`];
  for (const o of plan.outputs) {
    const { width, height, fps } = o.profile;
    const labels = [o.vp8Port !== undefined ? `[${o.quality}_vp8]` : "", o.h264Port !== undefined ? `[${o.quality}_h264]` : ""].filter(Boolean);
    chains.push(`[p_${o.quality}]scale=${width}:${height},setsar=1,fps=${fps},format=yuv420p,split=${labels.length}${labels.join("")}`);
  }
  return chains.join(";");
}

function inputArgs(input: PipelineInput, captureSize: string, fps: number, withAudio: boolean): { args: string[]; audioMap: string } {
  switch (input.kind) {
    case "testsrc": {
      const args = ["-re", "-f", "lavfi", "-i", `testsrc2=size=${captureSize}:rate=${fps}`];
      if (withAudio) args.push("-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000");
      return { args, audioMap: "1:a:0" };
    }
    case "clip": {
      const args = ["-stream_loop", "-1", "-re", "-i", input.video];
      if (withAudio) args.push("-stream_loop", "-1", "-re", "-i", input.audio);
      return { args, audioMap: "1:a:0" };
    }
    case "rtsp":
      return { args: ["-rtsp_transport", "tcp", "-i", input.url], audioMap: "0:a:0" };
    case "v4l2":
      return { args: ["-f", "v4l2", "-framerate", String(fps), "-video_size", captureSize, "-i", input.device], audioMap: "0:a:0" };
  }
}

export function buildEncoderArgs(plan: EncoderPlan): string[] {
  const maxFps = Math.max(...plan.outputs.map((o) => o.profile.fps));
  const input = inputArgs(plan.input, plan.captureSize ?? "1280x720", maxFps, plan.audioPort !== undefined);
  const args = ["-hide_banner", "-loglevel", "error", "-nostdin", ...input.args, "-filter_complex", buildFilterGraph(plan)];
  for (const o of plan.outputs) {
    const { fps, bitrateKbps } = o.profile;
    const gop = String(fps * 2);
    const rate = `${bitrateKbps}k`;
    if (o.vp8Port !== undefined) args.push(
      "-map", `[${o.quality}_vp8]`,
      "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", rate, "-g", gop,
      "-auto-alt-ref", "0", "-lag-in-frames", "0", "-error-resilient", "1",
      "-f", "rtp", rtp(o.vp8Port),
    );
    if (o.h264Port !== undefined) args.push(
      "-map", `[${o.quality}_h264]`,
      // Baseline, no B-frames, SPS/PPS in band (stack notes) so any viewer can start at an IDR;
      // level 3.1 covers 1280×720 at 30 fps, the largest profile the PWA offers by default.
      "-c:v", "libx264", "-profile:v", "baseline", "-level", "3.1", "-tune", "zerolatency", "-preset", "veryfast",
      "-bf", "0", "-b:v", rate, "-maxrate", rate, "-bufsize", `${bitrateKbps * 2}k`, "-g", gop, "-x264-params", "repeat-headers=1",
      "-f", "rtp", rtp(o.h264Port),
    );
  }
  if (plan.audioPort !== undefined) {
    // The demo clip is Opus already: copied, not re-encoded.
    const codec = plan.input.kind === "clip" ? ["-c:a", "copy"] : ["-c:a", "libopus", "-b:a", "32k", "-ar", "48000", "-ac", "2"];
    args.push("-map", input.audioMap, "-vn", ...codec, "-f", "rtp", rtp(plan.audioPort));
  }
  return args;
}
