#!/usr/bin/env bash
# Installs what is missing, builds Gradscope four times (release with
# -Werror, ASan+UBSan, one without OpenMP or the GUI, and one with oneDNN's
# GEMM, the faster optional library), runs every test in each, then each
# libFuzzer target for a short while (a crash counts as a failed test), and
# prints "N passed, N failed".
# Usage: scripts/test.sh [--quick]   (--quick: the release build only, no fuzzing)
# GS_FUZZ_SECONDS: seconds per fuzz target (default 20; 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --peer   # python3-torch: tests/engine/peer-check.py runs the peer

summary() { # build dir -> "passed failed skipped"
  python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(p, f, s)
PY
}

passed=0 failed=0 skipped=0

run_suite() { # build dir, meson options...
  local dir=$1; shift
  rm -f "$dir/meson-logs/testlog.json"
  if ! { [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"; } >"$dir.log" 2>&1 ||
     ! meson compile -C "$dir" >>"$dir.log" 2>&1; then
    tail -40 "$dir.log"
    echo "test.sh: the build in $dir failed" >&2
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2 || true
  read -r p f s <<<"$(summary "$dir")"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

run_fuzz() { # seconds: each target of bench/fuzz.sh, one after the other
  local t log
  if ! bench/fuzz.sh --build-only >_build/fuzz-build.log 2>&1; then
    tail -20 _build/fuzz-build.log
    echo "test.sh: building the fuzz targets failed" >&2
    failed=$((failed + 1))
    return
  fi
  for t in idx dataset runfile config; do
    log=_build/fuzz/$t.log
    if bench/fuzz.sh "$t" "$1" >"$log" 2>&1; then
      passed=$((passed + 1))
      echo "fuzz $t: ok, $(grep -o 'number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$') runs in $1 s"
    else
      failed=$((failed + 1))
      grep -A30 -m1 'ERROR: \|==ERROR\|runtime error\|check failed' "$log" || tail -30 "$log"
      echo "fuzz $t: FAILED (input saved as _build/fuzz/crash-$t-*; log $log)" >&2
    fi
  done
}

mkdir -p _build
run_suite _build/release --buildtype=release -Dwerror=true
if [ "${1:-}" != "--quick" ]; then
  run_suite _build/asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized
  # One thread, no OpenMP: the engine, CLI and figures without the GUI.
  # OpenBLAS alone (the fallback where libxsmm-dev is missing) as well.
  run_suite _build/noomp -Dopenmp=disabled -Dgui=disabled -Dgemm=openblas --buildtype=release -Dwerror=true
  # oneDNN's matmul for the large tiles: the same determinism, gradient and
  # peer checks as the OpenBLAS default (the GUI does not touch the GEMM).
  run_suite _build/onednn -Dgemm=onednn -Dgui=disabled --buildtype=release -Dwerror=true
  fuzz_seconds=${GS_FUZZ_SECONDS:-20}
  if [ "$fuzz_seconds" -gt 0 ]; then run_fuzz "$fuzz_seconds"; fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
