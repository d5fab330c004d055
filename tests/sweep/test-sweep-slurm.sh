#!/bin/sh
# test-sweep-slurm.sh GRADSCOPE_CLI: a sweep through a real Slurm cluster.
# Starts a single-node cluster in a temporary folder (slurm-cluster.sh),
# submits a 4-run sweep with --emit-slurm --submit (2 CPUs a task, so 2
# OpenMP threads a run), one run made to fail
# (a folder stands where its summary goes) and one cancelled with scancel
# while it runs (SIGTERM, as at a time limit), waits for the array, and
# checks that --collect marks both tasks with their exit status and log and
# prints the sbatch --array line that resubmits only those; then runs that
# line, collects again, and compares with the same sweep run here: same
# numbers, the seconds aside. Skips (77) when not root or Slurm is missing.
set -eu
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/slurm-cluster.sh"
cluster_check
tmp=$(mktemp -d)
trap 'cluster_stop; rm -rf "$tmp"' EXIT
fail() {
  echo "test-sweep-slurm: $*" >&2
  for f in "$tmp"/cluster/log/*.log "$tmp"/there/slurm/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done
  exit 1
}
cd "$tmp"
cluster_start "$tmp/cluster" || fail "the cluster did not start"

grid="--grid depth=1,2 --grid activation=sigmoid,relu"
common="--data builtin --epochs 1 --limit-train 200 --batch-size 50 --width 8"
# Waits until Slurm job $1 has left the queue, at most 60 s.
wait_job() {
  cluster_wait "! squeue -h -j $1 2>/dev/null | grep -q ." 60 || fail "job $1 still queued after 60 s: $(squeue)"
}

$cli sweep $grid $common --jobs 2 --out here --quiet || fail "the sweep here failed"

# The program the job list calls: the real one; run 3 waits first while
# the file slow is there, to be cancelled.
cat >wrap.sh <<WRAP
#!/bin/sh
case "\$*" in *"--save there/003_"*) [ -e "$tmp/slow" ] && sleep 60 ;; esac
exec "$cli" "\$@"
WRAP
chmod +x wrap.sh
touch slow
mkdir -p there/002_depth-2_activation-sigmoid.json
$cli sweep $grid $common --out there --emit-slurm there/sweep.sbatch --cli "$tmp/wrap.sh" --submit \
  --time 5 --partition test --cpus-per-task 2 >submit.txt || fail "--submit failed: $(cat submit.txt)"
job=$(sed -n 's/^submitted Slurm job \([0-9][0-9]*\): 4 tasks.*/\1/p' submit.txt)
[ -n "$job" ] || fail "no job id in: $(cat submit.txt)"
grep -q "^when they are done: $tmp/wrap.sh sweep .* --out there .*--collect$" submit.txt ||
  fail "no --collect command in: $(cat submit.txt)"
cluster_wait "grep -q '^gradscope-sweep: task 3 on ' there/slurm/003.log" 30 || fail "task 3 did not start"
sleep 0.5
scancel "${job}_3" || fail "scancel ${job}_3 failed"
wait_job "$job"
for i in 000 001 002 003; do
  [ -f "there/slurm/$i.exit" ] || fail "task $i left no exit status: $(ls there/slurm)"
done
grep -q "^gradscope-sweep: task 1 on .*, 2 thread(s): " there/slurm/001.log ||
  fail "task 1 did not get 2 threads from --cpus-per-task 2: $(head -3 there/slurm/001.log)"

# The failed tasks: status, exit status, log, and how to resubmit them alone.
set +e; $cli sweep $grid $common --out there --collect >collect.txt; rc=$?; set -e
[ "$rc" -eq 1 ] || fail "--collect with a failed task exited $rc"
row=$(grep '^2,002_' there/sweep.csv)
echo "$row" | grep -q ",failed,.*exit status 1: .*,1,there/slurm/002.log$" || fail "failed row: $row"
row=$(grep '^3,003_' there/sweep.csv)
echo "$row" | grep -q ',failed,.*,"stopped by SIGTERM (the time limit, or scancel)",143,there/slurm/003.log$' ||
  fail "cancelled row: $row"
grep -q '^collected 2 of 4 runs' collect.txt || fail "collect said: $(cat collect.txt)"
resubmit=$(sed -n 's/^resubmit only those: //p' collect.txt)
[ "$resubmit" = "sbatch --array=2-3 $tmp/there/sweep.sbatch" ] || fail "resubmit line: $(cat collect.txt)"

rmdir there/002_depth-2_activation-sigmoid.json
rm slow
job=$($resubmit | sed -n 's/^Submitted batch job \([0-9][0-9]*\)$/\1/p')
[ -n "$job" ] || fail "$resubmit submitted nothing"
wait_job "$job"
$cli sweep $grid $common --out there --collect >collect.txt || fail "--collect after the resubmission: $(cat collect.txt)"
grep -q '^2,002_depth-2_activation-sigmoid,2,sigmoid,ok,' there/sweep.csv ||
  fail "resubmitted row: $(grep '^2,' there/sweep.csv)"
# Same configs, same seeds: the same numbers as here (the seconds aside).
cut -d, -f1-12 here/sweep.csv >a.csv
cut -d, -f1-12 there/sweep.csv >b.csv
cmp -s a.csv b.csv || { diff a.csv b.csv >&2; fail "runs through Slurm differ from runs here"; }
[ "$(wc -l <b.csv)" -eq 5 ] || fail "sweep.csv: expected 4 runs"
# The folder opens as one comparison of its 4 runs: the script, job list
# and logs beside them are not runs.
$cli info there >info.txt 2>info.err || fail "info there: $(cat info.err)"
[ ! -s info.err ] && [ "$(grep -c '^file ' info.txt)" -eq 4 ] || fail "info there: $(grep '^file ' info.txt; cat info.err)"
echo "test-sweep-slurm: ok (jobs through Slurm $(sinfo -V | cut -d' ' -f2))"
