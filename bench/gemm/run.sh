#!/usr/bin/env bash
# The training GEMMs, library by library (bench-gemm.c), one thread: ROUNDS
# rounds, each running every library in turn on every shape, so that ratios
# compare neighbours in time. Writes bench/out/gemm.jsonl and prints the
# table for RESULTS.md (medians over the rounds; ratios against OpenBLAS,
# median of the per-round ratios).
# Usage: bench/gemm/run.sh [ROUNDS]   (needs libdnnl-dev, libblis-dev,
# libxsmm-dev: scripts/install-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
[ -f _build/release/build.ninja ] || meson setup _build/release --buildtype=release >/dev/null
meson compile -C _build/release >/dev/null
mkdir -p bench/out
out=bench/out/gemm.jsonl
rm -f "$out"
export OMP_NUM_THREADS=1
. bench/openblas-core.sh
bin=_build/release/bench/gemm
for round in $(seq "$rounds"); do
  for shape in "64 128 7" "512 128 7" "64 1024 7" "512 1024 7" "64 128 50" "512 128 50"; do
    set -- $shape
    for lib in openblas blis onednn onednn-fused libxsmm; do
      exe=$bin/bench-gemm-${lib%-fused}
      [ -x "$exe" ] || continue
      fuse=(); [ "$lib" = onednn-fused ] && fuse=(env BENCH_FUSE=1)
      "${fuse[@]}" "$exe" --batch "$1" --width "$2" --depth "$3" 2>/dev/null | sed "s/^{/{\"round\": $round, /" >>"$out"
    done
  done
done
python3 bench/gemm/table.py "$out"
