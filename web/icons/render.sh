#!/bin/sh
# Renders the PWA icons from the SVG sources with ffmpeg's librsvg decoder (Debian's ffmpeg).
# Run from anywhere: sh web/icons/render.sh. Output is committed under web/public/icons/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../public/icons"
mkdir -p "$out"
render() { # svg size output
  sed -e "s/width=\"512\" height=\"512\"/width=\"$2\" height=\"$2\"/" "$here/$1" > "$out/.tmp.svg"
  ffmpeg -v error -y -i "$out/.tmp.svg" -frames:v 1 -pix_fmt rgba "$out/$3"
  rm -f "$out/.tmp.svg"
}
render icon.svg 192 icon-192.png
render icon.svg 512 icon-512.png
render icon-maskable.svg 512 icon-maskable-512.png
render icon-maskable.svg 180 apple-touch-icon.png
