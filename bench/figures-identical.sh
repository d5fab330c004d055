#!/usr/bin/env bash
# Shows that a change kept behaviour: the same runs trained by this tree and by
# BASE (a commit) carry the same numbers, and every figure exported from them,
# alone and side by side, in the normal, dark and presentation styles, is the
# same PNG byte for byte.
#
# Usage: [GEMM=openblas|libxsmm|...] bench/figures-identical.sh [BASE]
# (default BASE: the commit before the structure work of issue 11,
# 5920434). Exit 0 when identical.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-5920434}
work=_build/identical
mkdir -p "$work"

# Both builds with the same GEMM library (each gives other bits): OpenBLAS
# unless GEMM says otherwise, the one every version of -Dgemm offers.
gemm=${GEMM:-openblas}
build_cli() { # source dir, build dir -> path of gradscope-cli
  if [ ! -f "$2/build.ninja" ]; then
    meson setup "$2" "$1" --buildtype=release -Dgui=disabled -Dgemm="$gemm" >"$2.log" 2>&1 ||
      { tail -20 "$2.log" >&2; exit 1; }
  else
    meson configure "$2" -Dgemm="$gemm" >"$2.log" 2>&1 || { tail -20 "$2.log" >&2; exit 1; }
  fi
  ninja -C "$2" src/cli/gradscope-cli >>"$2.log" 2>&1 || { tail -20 "$2.log" >&2; exit 1; }
  echo "$2/src/cli/gradscope-cli"
}

rev=$(git rev-parse "$base")
if [ "$(git -C "$work/base-src" rev-parse HEAD 2>/dev/null)" != "$rev" ]; then
  rm -rf "$work/base-src" "$work/base-build"
  git worktree prune
  git worktree add --detach "$work/base-src" "$rev" >/dev/null 2>&1
fi
old=$(build_cli "$work/base-src" "$work/base-build")
new=$(build_cli . "$work/head-build")

# Seconds are wall-clock time; everything else must match to the bit. A
# version 1 file (layers from 0) is read as version 2 (layers from 1).
numbers() { zcat "$1" | python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k != "seconds"}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
run = json.load(sys.stdin)
if run["version"] == 1:
    run["version"] = 2
    for s in run["stages"]:
        s["lowest_trainable"] += 1
    if run["diverged"]:
        run["diverged"]["layer"] += 1
print(json.dumps(strip(run), sort_keys=True))'; }

presets="baseline batchnorm relu skip layerwise gradnorm adam customnorm glorot-sigmoid"
failed=0 checked=0
for p in $presets; do
  for side in old new; do
    "${!side}" train --preset "$p" --epochs 4 --limit-train 1024 --hist-per-epoch 3 \
      --data builtin --seed 7 --quiet --save "$work/$p.$side.run.gz"
  done
  checked=$((checked + 1))
  if ! cmp -s <(numbers "$work/$p.old.run.gz") <(numbers "$work/$p.new.run.gz"); then
    echo "DIFFERENT: the $p run's numbers" >&2
    failed=$((failed + 1))
  fi
done

figures="heatmap histograms gradnorm activations curves dashboard bands init-hist signal-init"
export_both() { # name, export options...
  local name=$1; shift
  "$old" export "$@" --out "$work/fig-old.png"
  "$new" export "$@" --out "$work/fig-new.png"
  checked=$((checked + 1))
  if ! cmp -s "$work/fig-old.png" "$work/fig-new.png"; then
    echo "DIFFERENT: $name" >&2
    cp "$work/fig-old.png" "$work/$name.old.png"
    cp "$work/fig-new.png" "$work/$name.new.png"
    failed=$((failed + 1))
  fi
}
for f in $figures; do
  for style in "" --dark --presentation; do
    for p in $presets; do
      export_both "$f-$p$style" --run "$work/$p.old.run.gz" --figure "$f" $style \
        --width 1280 --height 720
    done
    export_both "$f-compare$style" --run "$work/baseline.old.run.gz" \
      --run "$work/batchnorm.old.run.gz" --figure "$f" $style --width 1280 --height 720
  done
done
for k in weights gradients activations signal; do
  export_both "histograms-$k" --run "$work/baseline.old.run.gz" --figure histograms \
    --histogram "$k" --width 800 --height 600
done
export_both "heatmap-small" --run "$work/baseline.old.run.gz" --figure heatmap --width 640 --height 400
export_both "dashboard-4k" --run "$work/batchnorm.old.run.gz" --figure dashboard --width 3840 --height 2160

echo "figures-identical: $checked checks against $base, $failed different"
[ "$failed" -eq 0 ]
