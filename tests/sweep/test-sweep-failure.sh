#!/bin/sh
# test-sweep-failure.sh GRADSCOPE_CLI: what --collect makes of Slurm array
# tasks that fail or are killed. The --emit-slurm script runs under bash as
# slurmd runs it (SLURM_ARRAY_TASK_ID, SLURM_CPUS_PER_TASK, the output in
# its log), no cluster needed: task 1's run fails (a folder stands where its
# summary goes), task 2 is killed by SIGKILL as the OOM killer does, task 3
# gets SIGTERM in its process group as at a time limit, task 4 is killed
# whole, script and all, before it can say so. sweep.csv marks each with its
# exit status and log, and --collect prints the sbatch --array line that
# reruns only those. Also: the options' bad values.
set -eu
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
command -v bash >/dev/null && command -v setsid >/dev/null || { echo "skip: needs bash and setsid"; exit 77; }
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill -KILL "-$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "test-sweep-failure: $*" >&2; exit 1; }
common="--grid depth=1..5 --data builtin --epochs 1 --limit-train 200 --batch-size 50 --width 8"

# The program the job list calls: the real one, except for runs 2 to 4.
cat >wrap.sh <<WRAP
#!/bin/sh
case "\$*" in
  *"--save there/002_"*) kill -KILL \$\$ ;;
  *"--save there/003_"* | *"--save there/004_"*) sleep 60 ;;
esac
exec "$cli" "\$@"
WRAP
chmod +x wrap.sh
$cli sweep $common --out there --emit-slurm there/sweep.sbatch --cli "$tmp/wrap.sh" --cpus-per-task 2 \
  --time 0:10:00 --partition short >emit.txt || fail "--emit-slurm failed"
grep -q "^submit: sbatch there/sweep.sbatch$" emit.txt || fail "emit said: $(cat emit.txt)"
for want in "--array=0-4" "--cpus-per-task=2" "--time=0:10:00" "--partition=short" \
  "--output=$tmp/there/slurm/%3a.log" "--chdir=$tmp"; do
  grep -qx -- "#SBATCH $want" there/sweep.sbatch || fail "the script lacks #SBATCH $want"
done
[ "$(wc -l <there/sweep.jobs)" -eq 5 ] || fail "the job list beside the script: $(ls there)"

# task N as slurmd runs it; in the background in its own process group
task() { SLURM_ARRAY_TASK_ID=$1 SLURM_CPUS_PER_TASK=2 bash there/sweep.sbatch >"there/slurm/00$1.log" 2>&1; }
started() { # waits until task $1 says it started, at most 20 s
  t=0
  until grep -q "^gradscope-sweep: task $1 on " "there/slurm/00$1.log" 2>/dev/null; do
    t=$((t + 1)); [ "$t" -le 200 ] || fail "task $1 did not start"; sleep 0.1
  done
  sleep 0.3
}
mkdir there/001_depth-2.json
task 0 || fail "task 0 failed: $(cat there/slurm/000.log)"
grep -q "task 0 on .*, 2 thread(s): " there/slurm/000.log || fail "OMP_NUM_THREADS: $(head -1 there/slurm/000.log)"
if task 1; then fail "task 1 did not fail"; fi
if task 2; then fail "task 2 was not killed"; fi
setsid bash -c "SLURM_ARRAY_TASK_ID=3 bash there/sweep.sbatch >there/slurm/003.log 2>&1" & pid3=$!
setsid bash -c "SLURM_ARRAY_TASK_ID=4 bash there/sweep.sbatch >there/slurm/004.log 2>&1" & pid4=$!
pids="$pid3 $pid4"
started 3
started 4

# While 3 and 4 run: they are not done, and not failed either.
set +e; $cli sweep $common --out there --collect >collect.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "--collect with tasks out exited $rc"
grep -q '^3,003_depth-4,4,missing,.*started but no exit status yet.*,,there/slurm/003.log$' there/sweep.csv ||
  fail "running task: $(grep '^3,' there/sweep.csv)"

kill -TERM "-$pid3"
kill -KILL "-$pid4"
wait "$pid3" || true
wait "$pid4" || true
pids=""

set +e; $cli sweep $common --out there --collect >collect.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "--collect with failed tasks exited $rc"
row() { grep "^$1," there/sweep.csv; }
row 0 | grep -q '^0,000_depth-1,1,ok,' || fail "row 0: $(row 0)"
row 1 | grep -q ',failed,.*,"exit status 1: --json there/001_depth-2.json: it is a folder, not a file name",1,there/slurm/001.log$' ||
  fail "row 1: $(row 1)"
row 2 | grep -q ',failed,.*,"killed by SIGKILL (out of memory.*",137,there/slurm/002.log$' || fail "row 2: $(row 2)"
row 3 | grep -q ',failed,.*,"stopped by SIGTERM (the time limit.*",143,there/slurm/003.log$' || fail "row 3: $(row 3)"
row 4 | grep -q ',missing,.*"started but no exit status yet.*,,there/slurm/004.log$' || fail "row 4: $(row 4)"
grep -qx 'collected 1 of 5 runs into there/sweep.csv' collect.txt || fail "collect said: $(cat collect.txt)"
grep -qx 'not done: 4 of 5 runs (1-4)' collect.txt || fail "collect said: $(cat collect.txt)"
grep -qx "resubmit only those: sbatch --array=1-4 $tmp/there/sweep.sbatch" collect.txt ||
  fail "collect said: $(cat collect.txt)"

# A task beyond the job list, and the script run outside Slurm.
if SLURM_ARRAY_TASK_ID=7 bash there/sweep.sbatch 2>err.txt; then fail "task 7 of 5 ran"; fi
grep -q "has no line 8 for task 7" err.txt || fail "task 7: $(cat err.txt)"
if bash there/sweep.sbatch 2>err.txt; then fail "the script ran outside Slurm"; fi
grep -q "not a Slurm array task" err.txt || fail "outside Slurm: $(cat err.txt)"

# Without the script, the lines of the job list to rerun.
rm -r there/slurm/script
set +e; $cli sweep $common --out there --collect >collect.txt; set -e
grep -qx 'rerun only those: lines 2-5 of the job list (run I is line I+1)' collect.txt ||
  fail "collect without a script said: $(cat collect.txt)"

# Bad values: usage errors (2) with one line; no sbatch on PATH (1).
expect() { # status, args...
  want=$1; shift
  set +e; PATH=/nonexistent $cli sweep $common "$@" >/dev/null 2>err.txt; got=$?; set -e
  [ "$got" -eq "$want" ] || fail "sweep $*: exit $got, expected $want"
  [ "$(wc -l <err.txt)" -eq 1 ] && grep -q '^gradscope-cli: ' err.txt || fail "sweep $*: not one line on stderr: $(cat err.txt)"
}
expect 2 --emit-slurm s.sbatch --time 1:x
expect 2 --emit-slurm s.sbatch --cpus-per-task 0
expect 2 --emit-slurm s.sbatch --partition "a b"
expect 2 --submit
expect 2 --time 10
expect 2 --emit-slurm s.sbatch --emit-jobs j.txt
expect 1 --emit-slurm s.sbatch --submit
grep -q 'sbatch is not on PATH' err.txt || fail "--submit without sbatch: $(cat err.txt)"
expect 1 --emit-slurm /nonexistent/s.sbatch
grep -q -- '--emit-slurm /nonexistent/s.sbatch: ' err.txt || fail "no folder: $(cat err.txt)"
expect 1 --emit-slurm s.sbatch --out "a b"
grep -q "cannot hold the path '$tmp/a b/slurm'" err.txt || fail "a space in --out: $(cat err.txt)"
echo "test-sweep-failure: ok"
