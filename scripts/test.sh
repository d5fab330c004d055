#!/usr/bin/env bash
# Installs what is missing, builds Gradscope twice (release with -Werror, and
# ASan+UBSan), runs every test in both, and prints "N passed, N failed".
# Usage: scripts/test.sh [--quick]   (--quick: the release build only)
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

mkdir -p _build
run_suite _build/release --buildtype=release -Dwerror=true
if [ "${1:-}" != "--quick" ]; then
  run_suite _build/asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debugoptimized
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
