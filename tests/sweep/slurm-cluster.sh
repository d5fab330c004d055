# slurm-cluster.sh, sourced by the Slurm tests: a single-node Slurm cluster
# in a temporary folder (munge, slurmctld and slurmd as root), the recipe of
# PLATFORM.md. cluster_start DIR exports SLURM_CONF and waits until the node
# is idle; cluster_stop stops every daemon it started by the PID it
# recorded, and is safe to call twice (call it from an EXIT trap).
# Needs: root, munged, slurmctld, slurmd, sbatch, sinfo. cluster_check
# exits 77 with the reason when one is missing.

cluster_pids=""

cluster_check() {
  [ "$(id -u)" -eq 0 ] || { echo "skip: a Slurm cluster needs root to start munged, slurmctld and slurmd"; exit 77; }
  for p in munged slurmctld slurmd sbatch sinfo squeue; do
    command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
      { echo "skip: $p is missing (apt-get install slurmctld slurmd slurm-client munge)"; exit 77; }
  done
  [ -r /etc/munge/munge.key ] || { echo "skip: /etc/munge/munge.key is missing (the munge package makes it)"; exit 77; }
}

# Waits up to $2 seconds for the command $1 to succeed.
cluster_wait() {
  _t=0
  until eval "$1" >/dev/null 2>&1; do
    _t=$((_t + 1))
    [ "$_t" -le "$2" ] || return 1
    sleep 1
  done
}

cluster_start() {
  dir=$1
  host=$(hostname -s)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chown munge:munge "$dir/munge"
  # munged runs as munge: it must reach its folder (mktemp -d makes 0700)
  chmod 755 "$dir" "$(dirname "$dir")"
  # Our own munged on its own socket, so an installed one is not disturbed.
  runuser -u munge -- /usr/sbin/munged --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" || return 1
  cluster_pids="$(cat "$dir/munge/munged.pid")"
  # Ports of our own, from the PID, so two runs of the test do not collide.
  port=$((20000 + $$ % 20000))
  cat >"$dir/slurm.conf" <<CONF
ClusterName=gradscope-test
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
KillWait=5
NodeName=$host CPUs=2 RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  /usr/sbin/slurmctld -f "$SLURM_CONF" || return 1
  cluster_wait "[ -s '$dir/slurmctld.pid' ]" 10 || return 1
  cluster_pids="$cluster_pids $(cat "$dir/slurmctld.pid")"
  /usr/sbin/slurmd -f "$SLURM_CONF" || return 1
  cluster_wait "[ -s '$dir/slurmd.pid' ]" 10 || return 1
  cluster_pids="$cluster_pids $(cat "$dir/slurmd.pid")"
  cluster_wait "sinfo -h -o %T | grep -qx idle" 30
}

cluster_stop() {
  for _p in $cluster_pids; do
    kill "$_p" 2>/dev/null || true
  done
  for _p in $cluster_pids; do
    _t=0
    while kill -0 "$_p" 2>/dev/null && [ "$_t" -lt 20 ]; do sleep 0.5; _t=$((_t + 1)); done
    kill -KILL "$_p" 2>/dev/null || true
  done
  cluster_pids=""
}
