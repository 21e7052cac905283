#!/bin/sh
# Why: regenerates the demo clip the agent plays without ffmpeg at run time. The outputs are
# committed; run this only to change them. Needs the Debian `ffmpeg` package.
#   VP8 in IVF, H.264 constrained-baseline Annex B (SPS/PPS in band, IDR at frame 0, one GOP
#   per loop so the loop point is a keyframe), Opus in Ogg (a quiet 440 Hz tone).
set -eu
cd "$(dirname "$0")/../assets/demo"
DUR=6
FPS=15
SIZE=640x360
# testsrc2 moves every frame; drawtext adds a frame counter/timestamp so frames differ visibly.
VIDEO="testsrc2=size=${SIZE}:rate=${FPS}:duration=${DUR},drawtext=text='Porthole demo %{frame_num}':x=20:y=20:fontsize=32:fontcolor=white:box=1:boxcolor=black@0.6,format=yuv420p"
if ! ffmpeg -hide_banner -filters 2>/dev/null | grep -q drawtext; then
  VIDEO="testsrc2=size=${SIZE}:rate=${FPS}:duration=${DUR},format=yuv420p"
fi
GOP=$((DUR * FPS))
ffmpeg -y -hide_banner -loglevel error -f lavfi -i "$VIDEO" \
  -c:v libvpx -b:v 400k -deadline realtime -cpu-used 8 -g "$GOP" -keyint_min "$GOP" -auto-alt-ref 0 -lag-in-frames 0 \
  -f ivf demo.vp8.ivf
ffmpeg -y -hide_banner -loglevel error -f lavfi -i "$VIDEO" \
  -c:v libx264 -profile:v baseline -level 3.1 -tune zerolatency -bf 0 -b:v 400k -maxrate 500k -bufsize 500k \
  -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -x264-params repeat-headers=1 \
  -bsf:v h264_mp4toannexb -f h264 demo.h264
ffmpeg -y -hide_banner -loglevel error -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=${DUR}" \
  -af "volume=0.1" -ac 1 -c:a libopus -b:a 24k -frame_duration 20 -application audio \
  -f ogg demo.opus.ogg
ls -l
