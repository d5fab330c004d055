#!/usr/bin/env bash
# Video export speed, size and memory (bench/RESULTS.md, "Video export"):
# a 10-second 1920x1080 30 fps WebM of the dashboard of a 2-epoch run and an
# 800x450 GIF of its heatmap, rendering and encoding, wall time and peak
# RSS by /usr/bin/time; then the same WebM at 60 s, and of an 8-epoch run,
# to show memory does not grow with the video's or the run's length.
# Usage: bench/video/video.sh [BUILD_DIR]   (default _build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-_build/release}
cli=$build/src/cli/gradscope-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_WAIT_POLICY=passive
"$cli" train --preset baseline --epochs 2 --save "$tmp/run2.gsrun" --quiet
"$cli" train --preset baseline --epochs 8 --save "$tmp/run8.gsrun" --quiet

measure() { # NAME OUT ARGS...
  local name=$1 out=$2
  shift 2
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$cli" export --out "$out" "$@"
  read -r secs kb <"$tmp/time"
  frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$out")
  printf '| %-44s | %6.1f s | %8.2f MB | %5d | %6.0f MB |\n' "$name" "$secs" \
    "$(echo "$(stat -c %s "$out") / 1048576" | bc -l)" "$frames" "$(echo "$kb / 1024" | bc -l)"
}

echo "| export | wall | file | frames | peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: |"
measure "dashboard WebM 1920x1080 30 fps 10 s (2 ep)" "$tmp/d.webm" --run "$tmp/run2.gsrun" --figure dashboard \
  --width 1920 --height 1080 --fps 30 --duration 10
measure "heatmap GIF 800x450 10 fps 10 s (2 ep)" "$tmp/h.gif" --run "$tmp/run2.gsrun" --figure heatmap \
  --width 800 --height 450 --duration 10
measure "heatmap GIF 800x450 25 fps 10 s (2 ep)" "$tmp/h25.gif" --run "$tmp/run2.gsrun" --figure heatmap \
  --width 800 --height 450 --fps 25 --duration 10
measure "dashboard MP4 1920x1080 30 fps 10 s (2 ep)" "$tmp/d.mp4" --run "$tmp/run2.gsrun" --figure dashboard \
  --width 1920 --height 1080 --fps 30 --duration 10
measure "dashboard WebM 1920x1080 30 fps 60 s (2 ep)" "$tmp/d60.webm" --run "$tmp/run2.gsrun" --figure dashboard \
  --width 1920 --height 1080 --fps 30 --duration 60
measure "dashboard WebM 1920x1080 30 fps 10 s (8 ep)" "$tmp/d8.webm" --run "$tmp/run8.gsrun" --figure dashboard \
  --width 1920 --height 1080 --fps 30 --duration 10
