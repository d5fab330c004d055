#!/usr/bin/env bash
# GStreamer against FFmpeg on the same frames (bench/RESULTS.md, "Video
# export: which encoder library"): 60 dashboard frames, 1920x1080, rendered
# as stills (export --step), then encoded by each library's own tools with
# the same libvpx / x264 settings. Prints seconds, bytes and SSIM against
# the frames. Needs gstreamer1.0-tools, -plugins-good, -plugins-ugly, ffmpeg.
# Usage: bench/video/compare.sh BUILD_DIR RUN_FILE
set -euo pipefail
cli="$1/src/cli/gradscope-cli"
run="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
w=1920 h=1080 n=60
steps=$("$cli" info "$run" | awk '/^steps/ {print $2}')
for i in $(seq 0 $((n - 1))); do
  k=$((1 + (i * (steps - 1) * 2 / (n - 1) + 1) / 2))
  "$cli" export --run "$run" --figure dashboard --step "$k" --width $w --height $h --out "$tmp/f$(printf %03d "$i").png"
done
ffmpeg -v error -framerate 30 -i "$tmp/f%03d.png" -vf scale=out_color_matrix=bt709 -pix_fmt yuv420p -f rawvideo "$tmp/ref.yuv"
raw="-f rawvideo -pix_fmt yuv420p -s ${w}x$h -r 30"
gst_src="filesrc location=$tmp/ref.yuv ! rawvideoparse width=$w height=$h format=i420 framerate=30/1"

measure() { # NAME OUTPUT COMMAND...
  local name=$1 out=$2 t0 t1 ssim
  shift 2
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || { echo "$name: failed" >&2; return 0; }
  t1=$(date +%s.%N)
  ssim=$(ffmpeg -v info -i "$out" $raw -i "$tmp/ref.yuv" -lavfi "[0:v]format=yuv420p[a];[a][1:v]ssim" -f null - 2>&1 |
    sed -n 's/.*All:\([0-9.]*\).*/\1/p')
  printf '%-34s %6.2f s %9d bytes  SSIM %s\n' "$name" "$(echo "$t1 - $t0" | bc)" "$(stat -c %s "$out")" "$ssim"
}

measure "gstreamer vp8enc realtime" "$tmp/g8.webm" gst-launch-1.0 -q $gst_src ! vp8enc deadline=1 cpu-used=8 \
  end-usage=cq cq-level=10 target-bitrate=6000000 threads=2 ! webmmux ! filesink location="$tmp/g8.webm"
measure "gstreamer vp9enc realtime" "$tmp/g9.webm" gst-launch-1.0 -q $gst_src ! vp9enc deadline=1 cpu-used=8 \
  end-usage=cq cq-level=30 target-bitrate=6000000 row-mt=true threads=2 lag-in-frames=0 ! webmmux ! filesink location="$tmp/g9.webm"
measure "gstreamer x264enc veryfast crf20" "$tmp/g.mp4" gst-launch-1.0 -q $gst_src ! x264enc speed-preset=veryfast \
  pass=quant quantizer=20 tune=stillimage ! mp4mux ! filesink location="$tmp/g.mp4"
measure "ffmpeg libvpx (vp8) realtime" "$tmp/f8.webm" ffmpeg -y $raw -i "$tmp/ref.yuv" -c:v libvpx -deadline realtime \
  -cpu-used 8 -crf 10 -b:v 6M -threads 2 "$tmp/f8.webm"
measure "ffmpeg libvpx-vp9 realtime crf30" "$tmp/f9.webm" ffmpeg -y $raw -i "$tmp/ref.yuv" -c:v libvpx-vp9 \
  -deadline realtime -cpu-used 8 -row-mt 1 -crf 30 -b:v 0 -lag-in-frames 0 "$tmp/f9.webm"
measure "ffmpeg libvpx-vp9 good cpu4 crf30" "$tmp/f9g.webm" ffmpeg -y $raw -i "$tmp/ref.yuv" -c:v libvpx-vp9 \
  -deadline good -cpu-used 4 -row-mt 1 -crf 30 -b:v 0 "$tmp/f9g.webm"
measure "ffmpeg libvpx-vp9 realtime crf15" "$tmp/f9r15.webm" ffmpeg -y $raw -i "$tmp/ref.yuv" -c:v libvpx-vp9 \
  -deadline realtime -cpu-used 8 -row-mt 1 -crf 15 -b:v 0 -lag-in-frames 0 "$tmp/f9r15.webm"
measure "ffmpeg libvpx-vp9 good cpu5 crf20" "$tmp/f9g20.webm" ffmpeg -y $raw -i "$tmp/ref.yuv" -c:v libvpx-vp9 \
  -deadline good -cpu-used 5 -row-mt 1 -crf 20 -b:v 0 "$tmp/f9g20.webm"
measure "ffmpeg libx264 veryfast crf20" "$tmp/f.mp4" ffmpeg -y $raw -i "$tmp/ref.yuv" -c:v libx264 -preset veryfast \
  -crf 20 -tune stillimage "$tmp/f.mp4"
# GIF: GStreamer 1.22 (Debian 12) has no GIF encoder (gifenc is in the
# unpackaged gst-plugins-rs); FFmpeg's, with a palette from palettegen:
measure "ffmpeg gif palettegen+paletteuse bayer" "$tmp/fb.gif" ffmpeg -y -framerate 10 -i "$tmp/f%03d.png" -lavfi \
  "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer:diff_mode=rectangle" "$tmp/fb.gif"
measure "ffmpeg gif palettegen+paletteuse" "$tmp/f.gif" ffmpeg -y -framerate 10 -i "$tmp/f%03d.png" -lavfi \
  "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none:diff_mode=rectangle" "$tmp/f.gif"
