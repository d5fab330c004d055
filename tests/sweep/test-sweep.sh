#!/bin/sh
# test-sweep.sh GRADSCOPE_CLI: `gradscope-cli sweep` expands its grid, runs
# it here (--jobs 2) into run files, summaries and sweep.csv, and `info` on
# the folder lists every run; the job list it emits, run line by line as a
# cluster would, gives the same results once collected; bad grids fail with
# a message before anything trains.
set -eu
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "test-sweep: $*" >&2; exit 1; }
common="--data builtin --epochs 1 --limit-train 200 --batch-size 50 --width 8 --quiet"

# 3 depths (a range) x 2 activations = 6 runs, last dimension fastest.
$cli sweep --grid depth=1..3 --grid activation=sigmoid,relu $common --dry-run >dry.txt
[ "$(wc -l <dry.txt)" -eq 6 ] || { cat dry.txt; fail "dry run: expected 6 runs"; }
head -1 dry.txt | grep -q '^000_depth-1_activation-sigmoid ' || fail "dry run: first run misnamed: $(head -1 dry.txt)"
sed -n 2p dry.txt | grep -q '^001_depth-1_activation-relu ' || fail "dry run: the last dimension is not fastest"

# Here, two at a time.
$cli sweep --grid depth=1..3 --grid activation=sigmoid,relu $common --jobs 2 --out here ||
  fail "sweep --jobs 2 failed"
[ "$(ls here/*.gsrun | wc -l)" -eq 6 ] || fail "expected 6 run files"
[ "$(ls here/*.json | wc -l)" -eq 6 ] || fail "expected 6 JSON summaries"
[ "$(wc -l <here/sweep.csv)" -eq 7 ] || fail "sweep.csv: expected a header and 6 rows"
head -1 here/sweep.csv | grep -q '^index,name,depth,activation,status,test_accuracy,' || fail "sweep.csv header: $(head -1 here/sweep.csv)"
grep -q ',ok,' here/sweep.csv || fail "no run ok in sweep.csv"
grep -q '"test_accuracy"' here/003_depth-2_activation-relu.json || fail "summary lacks test_accuracy"
$cli info here/005_depth-3_activation-relu.gsrun | grep -q '4 Linear' || fail "run file of depth 3 is not 4 Linear layers"
# info on the folder: its six runs, in name order; the summaries beside
# them are not runs, and nothing is said on stderr.
$cli info here >info.txt 2>info.err || { cat info.err >&2; fail "info FOLDER failed"; }
[ ! -s info.err ] || fail "info FOLDER complained: $(cat info.err)"
[ "$(grep -c '^file ' info.txt)" -eq 6 ] || fail "info FOLDER: expected 6 runs: $(grep '^file ' info.txt)"
[ "$(grep '^file ' info.txt | sed -n 6p)" = "file       here/005_depth-3_activation-relu.gsrun" ] ||
  fail "info FOLDER: runs not in name order"
[ "$(grep -c '^layers ' info.txt)" -eq 6 ] || fail "info FOLDER: not every run summarised"

# Elsewhere: the job list, each line run on its own, then collected.
$cli sweep --grid depth=1..3 --grid activation=sigmoid,relu $common --out there \
  --emit-jobs jobs.txt --cli "$cli" || fail "--emit-jobs failed"
[ "$(wc -l <jobs.txt)" -eq 6 ] || fail "jobs.txt: expected 6 lines"
grep -q -- '--depth 2 --activation relu .*--save there/003_depth-2_activation-relu.gsrun' jobs.txt ||
  fail "jobs.txt line 4: $(sed -n 4p jobs.txt)"
while IFS= read -r line; do sh -c "$line" || fail "job failed: $line"; done <jobs.txt
$cli sweep --grid depth=1..3 --grid activation=sigmoid,relu $common --out there --collect ||
  fail "--collect failed"
# Same configs, same seeds: same numbers (the seconds column aside).
cut -d, -f1-12 here/sweep.csv >a.csv
cut -d, -f1-12 there/sweep.csv >b.csv
cmp -s a.csv b.csv || { diff a.csv b.csv >&2; fail "runs from the job list differ from runs here"; }

# Collecting an unfinished sweep: the missing run is said, status 1.
rm there/004_depth-3_activation-sigmoid.gsrun
if $cli sweep --grid depth=1..3 --grid activation=sigmoid,relu $common --out there --collect; then
  fail "--collect with a missing run exited 0"
fi
grep -q '^4,004_depth-3_activation-sigmoid,3,sigmoid,missing,' there/sweep.csv || fail "missing run not marked"

# A value holding commas, and a preset dimension.
$cli sweep --grid preset=relu,layerwise --grid layerwise=none/2,2,2,1 $common --depth 7 --epochs 4 --dry-run >lw.txt ||
  fail "slash-separated values"
grep -q '^003_preset-layerwise_layerwise-2-2-2-1 ' lw.txt || fail "layerwise grid: $(cat lw.txt)"

# A schedule: every run, here and from the job list, makes the change.
$cli sweep --grid lr=0.01,0.02 $common --epochs 2 --at-epoch 2:gradnorm=signal --out at ||
  fail "sweep --at-epoch failed"
for f in at/*.json; do
  grep -q '"to" : "signal"' "$f" || fail "$f: no intervention"
done
$cli sweep --grid lr=0.01,0.02 $common --epochs 2 --at-epoch 2:gradnorm=signal --out at --emit-jobs at.txt ||
  fail "sweep --at-epoch --emit-jobs failed"
grep -q -- '--at-epoch 2:gradnorm=signal' at.txt || fail "at.txt: $(head -1 at.txt)"

# Bad grids: usage errors (2) or a combination that cannot run (1).
expect() { # status, args...
  want=$1; shift
  set +e; $cli sweep "$@" $common --dry-run >/dev/null 2>err.txt; got=$?; set -e
  [ "$got" -eq "$want" ] || fail "sweep $*: exit $got, expected $want"
  [ "$(wc -l <err.txt)" -eq 1 ] && grep -q '^gradscope-cli: ' err.txt || fail "sweep $*: not one line on stderr: $(cat err.txt)"
}
expect 2 --grid nope=1,2
expect 2 --grid depth=
expect 2 --grid depth=5..2
expect 2 --grid depth=1,2 --depth 3
expect 2 --grid depth=1..100000
expect 1 --grid depth=a,b
expect 1 --grid layerwise=1,1 --depth 3
expect 1 --grid depth=1,2 --at 5:depth=3
echo "test-sweep: ok"
