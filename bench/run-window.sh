#!/usr/bin/env bash
# What the live window costs training, and the longest main-loop stall:
# the real application under Xvfb, a preset (baseline), the same run headless
# and in the window, alternating. Usage: bench/run-window.sh [EPOCHS [REPS [FIGURE [PRESET]]]]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f _build/release/build.ninja ] || meson setup _build/release --buildtype=release >/dev/null

meson compile -C _build/release >/dev/null
export GSETTINGS_SCHEMA_DIR=$PWD/_build/release/data OMP_WAIT_POLICY=passive
tests/app/run-xvfb.sh _build/release/bench/bench-window "${1:-2}" "${2:-3}" "${3:-dashboard}" "${4:-baseline}"
