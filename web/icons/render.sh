#!/bin/sh
# Renders the PWA icons from the SVG sources with ffmpeg's librsvg decoder (Debian's ffmpeg).
# Run from anywhere: sh web/icons/render.sh. Output is committed under web/public/icons/.
# The size goes to the decoder (-width/-height): rewriting the SVG's width/height text also hit
# the background <rect>, which then covered only a corner of the icon.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../public/icons"
mkdir -p "$out"
render() { # svg size output
  ffmpeg -v error -y -width "$2" -height "$2" -i "$here/$1" -frames:v 1 -pix_fmt rgba "$out/$3"
}
render icon.svg 192 icon-192.png
render icon.svg 512 icon-512.png
render icon-maskable.svg 512 icon-maskable-512.png
# iOS home screen (apple-touch-icon): full-bleed and opaque; iOS rounds the corners itself.
render icon-maskable.svg 180 apple-touch-icon.png
