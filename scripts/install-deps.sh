#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine lacks to build, run and test
# Gradscope. The README's two commands and .ci/run all call this one script.
# clang and libclang-rt-14-dev: the libFuzzer targets (bench/fuzz.sh);
# groff-base: the man page check; the libav*-dev: video export (-Dvideo),
# ffmpeg: its tests (ffprobe); slurmctld, slurmd, slurm-client, munge and
# parallel: the sweep tests through a real Slurm cluster and GNU Parallel;
# libxsmm-dev: the GEMM kernels of the default build (-Dgemm=auto);
# libdnnl-dev: the optional oneDNN GEMM (-Dgemm=onednn), with libblis-dev
# the libraries bench/gemm compares.
# Usage: scripts/install-deps.sh [--peer]   (--peer adds PyTorch for bench/)
set -euo pipefail

packages=(
  meson ninja-build pkg-config gcc
  libgtk-4-dev libjson-glib-dev libopenblas-openmp-dev gettext
  desktop-file-utils appstream xvfb xauth fonts-dejavu-core
  adwaita-icon-theme librsvg2-common dataset-fashion-mnist
  poppler-utils librsvg2-bin libxml2-utils dbus-x11 imagemagick
  clang libclang-rt-14-dev groff-base clang-format
  openbox xdotool x11-utils
  libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev ffmpeg
  slurmctld slurmd slurm-client munge parallel
  libdnnl-dev libblis-dev libxsmm-dev
)
[ "${1:-}" = "--peer" ] && packages+=(python3-torch python3-numpy)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
