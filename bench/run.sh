#!/usr/bin/env bash
# Training throughput of Gradscope against the PyTorch peer, measured in the
# same run on the same thread counts, the SGEMM bound and the FMA peak of
# those threads (bench-train measures it). ROUNDS times in
# turn (this machine's speed drifts by several per cent from minute to
# minute); each round writes bench/out/round-N.jsonl, and the table that
# goes into RESULTS.md gives medians and ranges over the rounds.
# Usage: bench/run.sh [REPS] [ROUNDS]   (REPS timed epochs per run; needs
# python3-torch: scripts/install-deps.sh --peer). BUILDS="_build/release
# _build/openblas" times each build's bench-train in every round (one
# configured with -Dgemm=openblas, say): a row per GEMM library.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}
rounds=${2:-3}
scripts/install-deps.sh --peer
builds=${BUILDS:-_build/release}
[ -f _build/release/build.ninja ] || meson setup _build/release --buildtype=release >/dev/null
for b in $builds; do meson compile -C "$b" bench-train >/dev/null; done
peer=../shared/peer/torch_peer.py
[ -f "$peer" ] || { echo "bench: $peer not found" >&2; exit 1; }
# What gradscope-cli runs with (gs-runtime.h); the peer too, so both wait
# for their threads the same way. Override: OMP_WAIT_POLICY=active.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-10000}
. bench/openblas-core.sh
mkdir -p bench/out
rm -f bench/out/round-*.jsonl
for round in $(seq "$rounds"); do
  out=bench/out/round-$round.jsonl
  for threads in 1 2; do
    for batch in 512 64; do
      # probes on first in odd rounds, off first in even ones
      order=("" "--no-probes"); [ $((round % 2)) = 0 ] && order=("--no-probes" "")
      for b in $builds; do
        for probes in "${order[@]}"; do
          OMP_NUM_THREADS=$threads "$b"/bench/bench-train --batch $batch --reps "$reps" $probes >>"$out"
        done
      done
      OMP_NUM_THREADS=$threads /usr/bin/python3 "$peer" --mode throughput --batch $batch \
        --threads $threads --reps "$reps" --json "$out" >/dev/null
    done
  done
  # the deep and the wide net, one thread, batch 512, against the FMA peak
  # (the wide one's epoch takes 20 s: one timed epoch)
  for b in $builds; do
    OMP_NUM_THREADS=1 "$b"/bench/bench-train --batch 512 --reps "$reps" --depth 50 >>"$out"
    OMP_NUM_THREADS=1 "$b"/bench/bench-train --batch 512 --reps 1 --width 1024 >>"$out"
  done
done
python3 bench/table.py bench/out/round-*.jsonl
