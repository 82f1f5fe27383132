# Sourced by the Slurm end-to-end test: starts a single-host Slurm cluster (munged,
# slurmctld, slurmd) on loopback, entirely inside the folder $CLUSTER (its own munge key and
# socket, slurm.conf, ports, state, spool and logs), and stops it by pid. No cgroups:
# proctrack/linuxproc and task/none, so it runs in containers and CI machines as root.
#   cluster_start   -> exports SLURM_CONF; returns non-zero if the node never comes up
#   cluster_stop    -> kills the daemons it started (by pid) and waits for them

cluster_pids=()

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

cluster_start() {
  mkdir -p "$CLUSTER"/{state,spool,logs,munge}
  chmod 700 "$CLUSTER/munge"
  dd if=/dev/urandom of="$CLUSTER/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$CLUSTER/munge/munge.key"
  local socket="$CLUSTER/munge/munge.socket"
  munged --foreground --force --key-file="$CLUSTER/munge/munge.key" --socket="$socket" \
    --pid-file="$CLUSTER/munge/munged.pid" --log-file="$CLUSTER/logs/munged.log" \
    --seed-file="$CLUSTER/munge/munged.seed" >"$CLUSTER/logs/munged.out" 2>&1 &
  cluster_pids+=($!)
  local host ctld_port slurmd_port cpus
  host=$(hostname -s)
  ctld_port=$(free_port)
  slurmd_port=$(free_port)
  cpus=$(nproc)
  cat >"$CLUSTER/slurm.conf" <<CONF
ClusterName=tunepack-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$CLUSTER/state
SlurmdSpoolDir=$CLUSTER/spool
SlurmctldPidFile=$CLUSTER/slurmctld.pid
SlurmdPidFile=$CLUSTER/slurmd.pid
SlurmctldLogFile=$CLUSTER/logs/slurmctld.log
SlurmdLogFile=$CLUSTER/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=tp Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$CLUSTER/slurm.conf"
  # munged must answer before the Slurm daemons ask it for credentials.
  local i
  for i in $(seq 1 50); do [ -S "$socket" ] && break; sleep 0.1; done
  slurmctld -D -i -f "$SLURM_CONF" >"$CLUSTER/logs/slurmctld.out" 2>&1 &
  cluster_pids+=($!)
  slurmd -D -f "$SLURM_CONF" >"$CLUSTER/logs/slurmd.out" 2>&1 &
  cluster_pids+=($!)
  for i in $(seq 1 60); do
    state=$(sinfo -h -o %T 2>/dev/null | head -1)
    case "$state" in idle*|mixed*|allocated*) return 0 ;; esac
    sleep 0.5
  done
  echo "cluster: the node never became idle (state: ${state:-none}); logs:" >&2
  tail -n 20 "$CLUSTER"/logs/*.log "$CLUSTER"/logs/*.out >&2 || true
  return 1
}

cluster_stop() {
  local pid
  for pid in "${cluster_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 1 30); do
    local alive=0
    for pid in "${cluster_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${cluster_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${cluster_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  cluster_pids=()
}
