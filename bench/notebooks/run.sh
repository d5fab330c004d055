#!/usr/bin/env bash
# Both notebooks' whole protocols, timed: `gradscope-cli reproduce
# --notebook N` and the PyTorch peer trained as the notebooks trained (a
# DataLoader every epoch, peer-protocol.py), one after the other on the same
# machine, two runs at a time on one thread each in both.
# Usage: bench/notebooks/run.sh [EPOCHS] [NOTEBOOKS]   (default 100 "A B")
# Writes bench/out/notebooks/{ours,peer}-N.* and table-N.md (table.py: the
# rows beside the notebook and the peer's seed 0) and prints one line a
# notebook.
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-100}
notebooks=${2:-A B}
scripts/install-deps.sh --peer
[ -f _build/release/build.ninja ] || meson setup _build/release --buildtype=release >/dev/null
meson compile -C _build/release gradscope-cli >/dev/null
peer=../shared/peer/torch_peer.py
[ -f "$peer" ] || { echo "bench: $peer not found" >&2; exit 1; }
out=bench/out/notebooks
mkdir -p "$out"
wall() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"; }
for n in $notebooks; do
  rm -rf "$out/ours-$n"
  echo "notebook $n: load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M)"
  /usr/bin/time -v -o "$out/ours-$n.time" _build/release/src/cli/gradscope-cli reproduce \
    --notebook "$n" --epochs "$epochs" --out "$out/ours-$n" >"$out/ours-$n.log"
  /usr/bin/time -v -o "$out/peer-$n.time" /usr/bin/python3 bench/notebooks/peer-protocol.py \
    --peer "$peer" --notebook "$n" --epochs "$epochs" --json "$out/peer-$n.json" >"$out/peer-$n.log"
  echo "notebook $n, $epochs epochs: Gradscope $(wall "$out/ours-$n.time"), peer $(wall "$out/peer-$n.time")" \
    "(load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M))"
  /usr/bin/python3 bench/notebooks/table.py "$out/ours-$n/table-$n.csv" "$out/peer-$n.json" >"$out/table-$n.md"
  echo "  rows: $out/table-$n.md"
done
