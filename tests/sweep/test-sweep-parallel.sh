#!/bin/sh
# test-sweep-parallel.sh GRADSCOPE_CLI: a sweep's job list run through GNU
# Parallel, two at a time, one line failing (a folder stands where its
# summary goes); --collect says which line to rerun, `parallel
# --resume-failed` reruns only it, and the collected sweep has the same
# numbers as the sweep run here (the seconds aside). Skips (77) without
# GNU Parallel (Debian's parallel package).
set -eu
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
parallel --version 2>/dev/null | grep -q 'GNU parallel' ||
  { echo "skip: GNU Parallel is missing (apt-get install parallel)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "test-sweep-parallel: $*" >&2; exit 1; }
sweep="--grid depth=1,2 --grid activation=sigmoid,relu --data builtin --epochs 1 --limit-train 200 --batch-size 50 --width 8"

$cli sweep $sweep --jobs 2 --out here --quiet || fail "the sweep here failed"
$cli sweep $sweep --out there --emit-jobs jobs.txt --cli "$cli" --quiet || fail "--emit-jobs failed"
mkdir -p there/001_depth-1_activation-relu.json
export OMP_NUM_THREADS=1
set +e; parallel --will-cite --jobs 2 --joblog joblog.txt <jobs.txt 2>parallel.err; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "parallel: expected 1 failed job, exit $rc: $(cat parallel.err)"
grep -q "there/001_depth-1_activation-relu.json: it is a folder" parallel.err || fail "parallel said: $(cat parallel.err)"
[ "$(awk 'NR > 1 && $7 == 0' joblog.txt | wc -l)" -eq 3 ] || fail "joblog: $(cat joblog.txt)"

set +e; $cli sweep $sweep --out there --collect >collect.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "--collect with a failed line exited $rc"
grep -qx 'rerun only those: lines 2 of the job list (run I is line I+1)' collect.txt ||
  fail "collect said: $(cat collect.txt)"

rmdir there/001_depth-1_activation-relu.json
parallel --will-cite --jobs 2 --joblog joblog.txt --resume-failed <jobs.txt || fail "parallel --resume-failed failed"
[ "$(awk 'NR > 1' joblog.txt | wc -l)" -eq 5 ] || fail "--resume-failed did not rerun one line: $(cat joblog.txt)"
$cli sweep $sweep --out there --collect --quiet || fail "--collect after the rerun failed"
cut -d, -f1-12 here/sweep.csv >a.csv
cut -d, -f1-12 there/sweep.csv >b.csv
cmp -s a.csv b.csv || { diff a.csv b.csv >&2; fail "runs through GNU Parallel differ from runs here"; }
[ "$(wc -l <b.csv)" -eq 5 ] || fail "sweep.csv: expected 4 runs"
echo "test-sweep-parallel: ok ($(parallel --version | head -1))"
