#!/usr/bin/env bash
# Installs what is missing, builds Gradscope and starts it: the window where
# GTK is available, else one epoch of the baseline preset in the terminal.
# Uses Fashion-MNIST where installed, the built-in synthetic set otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f _build/release/build.ninja ] || meson setup _build/release --buildtype=release >/dev/null
meson compile -C _build/release >/dev/null
if [ -x _build/release/src/app/gradscope ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  GSETTINGS_SCHEMA_DIR=_build/release/data exec _build/release/src/app/gradscope "$@"
fi
exec _build/release/src/cli/gradscope-cli train --preset baseline --epochs 1 "$@"
