#!/usr/bin/env bash
# End-to-end test on a real Slurm cluster: starts a single-host cluster from Debian's
# packages (tests/slurm/cluster.sh), runs a 4-rank export with near dedup through
# scripts/tunepack-slurm (the signature array throttled to 2 at once, the plan's 2 bucket
# tasks and their combine, the filter array, the merge, chained by afterok), checks the merged folder is byte-identical to the
# one-process export, then resubmits one rank alone (it is complete, so it does nothing)
# with the later stages (the bucket tasks skip their complete files) and a new merge. Exit 77 (skipped) only when the Slurm or munge
# packages are missing or we are not root; the daemons are stopped by pid on every exit.
# usage: slurm_e2e.sh SOURCE_DIR TUNEPACK_BINARY
set -euo pipefail
source_dir=$1
tunepack_bin=$2

for tool in munged slurmctld slurmd sbatch squeue sinfo scancel; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool is not installed (Debian: apt-get install slurmctld slurmd slurm-client munge; scripts/setup installs them)"
    exit 77
  fi
done
if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED: the test cluster's daemons run as root"
  exit 77
fi

T=$(mktemp -d /tmp/tunepack-slurm-XXXXXX)
CLUSTER=$T/cluster
source "$source_dir/tests/slurm/cluster.sh"
# Our own deadline, before ctest's TIMEOUT (120 s): a TERM runs the cleanup below, where a
# kill by ctest might leave the daemons behind.
main_pid=$$
( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep 100 & sleeper=$!
  wait "$sleeper" && kill -TERM "$main_pid" 2>/dev/null ) &
watchdog=$!
cleanup() {
  kill "$watchdog" 2>/dev/null || true
  # Jobs first (their step daemons are slurmd's children), then the daemons, by pid.
  if [ -n "${SLURM_CONF:-}" ]; then
    scancel --full --quiet --user=root 2>/dev/null || true
  fi
  cluster_stop
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  echo "FAILED: $*" >&2
  for log in "$T"/work/logs/*.log "$CLUSTER"/logs/slurmctld.log "$CLUSTER"/logs/slurmd.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
  done
  exit 1
}

# Waits (at most $2 seconds) until job $1 has left the queue.
wait_job() {
  local i
  for i in $(seq 1 $(($2 * 2))); do
    [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  fail "job $1 still queued after $2 s: $(squeue -j "$1" 2>&1)"
}

cluster_start || fail "the test cluster did not start"

# Inputs: record files of uneven sizes with exact and near duplicates across files,
# documents, a malformed line and an empty file.
mkdir -p "$T/in/records" "$T/in/docs"
/usr/bin/python3 - "$T/in/records" <<'PY'
import json, random, sys
rng = random.Random(16)
words = "queue task worker retry backoff timeout claim payload batch schedule metrics alert index latency shard".split()
bases = [" ".join(rng.choice(words) for _ in range(40)) for _ in range(60)]
for f in range(7):
    with open(f"{sys.argv[1]}/part{f}.jsonl", "w") as out:
        for i in range(40 + 60 * f):
            kind = rng.random()
            text = rng.choice(bases)
            if kind < 0.25:
                w = text.split(); w[rng.randrange(len(w))] = "changed"; text = " ".join(w)
            elif kind >= 0.5:
                text = " ".join(rng.choice(words) for _ in range(40))
            out.write(json.dumps({"text": text}) + "\n")
PY
printf '{"text": "broken"\n' >>"$T/in/records/part3.jsonl"
printf '# Guide\n\nWorkers take tasks.\n\n## More\n\nThe writer orders them.\n' >"$T/in/docs/guide.md"
printf 'plain notes\n' >"$T/in/docs/notes.txt"
: >"$T/in/docs/empty.txt"
options=(--split train=0.8,validation=0.2 --max-records-per-file 100 --with-metadata --dedup near)

cd "$T"
code=0
"$tunepack_bin" export in -o single "${options[@]}" --progress none 2>/dev/null || code=$?
[ "$code" -le 1 ] || fail "the one-process export failed ($code)"
grep -q near_duplicate single/rejected.jsonl || fail "the corpus has no near duplicates: the test would prove nothing"

submitted=$("$source_dir/scripts/tunepack-slurm" --ranks 4 --max-parallel 2 --bucket-tasks 2 --work work -o merged \
  --tunepack "$tunepack_bin" -- in "${options[@]}") || fail "tunepack-slurm failed: $submitted"
echo "$submitted"
rank_job=$(sed -n 's/^rank job: \([0-9]*\).*/\1/p' <<<"$submitted")
merge_job=$(sed -n 's/^merge job: \([0-9]*\).*/\1/p' <<<"$submitted")
[ -n "$rank_job" ] && [ -n "$merge_job" ] || fail "no job ids in: $submitted"
signatures_job=$(sed -n 's/^signatures job: \([0-9]*\).*/\1/p' <<<"$submitted")
buckets_job=$(sed -n 's/^buckets job: \([0-9]*\).*/\1/p' <<<"$submitted")
plan_job=$(sed -n 's/^plan job: \([0-9]*\).*/\1/p' <<<"$submitted")
[ -n "$signatures_job" ] && [ -n "$buckets_job" ] && [ -n "$plan_job" ] || fail "no dedup stages in: $submitted"
wait_job "$signatures_job" 60
wait_job "$buckets_job" 20
wait_job "$plan_job" 20
wait_job "$rank_job" 60
wait_job "$merge_job" 30
for rank in 0 1 2 3; do
  [ -f "work/parts/rank-0000$rank/tunepack-part.json" ] || fail "rank $rank has no completion marker"
done
for task in 0 1; do
  [ -f "work/buckets/dedup-buckets-0000$task-of-00002.bin" ] || fail "bucket task $task/2 wrote no file"
done
[ -f merged/manifest.json ] || fail "the merge job wrote no manifest.json"
diff -r single merged >&2 || fail "the merged export differs from the one-process export"
echo "4 ranks with staged near dedup (2 bucket tasks) through Slurm: byte-identical to one process"

# Resubmitting one rank alone: it is complete, so it does nothing; the new merge replaces
# the merged folder with the same bytes.
resubmitted=$("$source_dir/scripts/tunepack-slurm" --ranks 4 --bucket-tasks 2 --work work -o merged --overwrite --ranks-only 2 \
  --tunepack "$tunepack_bin" -- in "${options[@]}") || fail "resubmission failed: $resubmitted"
rank_job=$(sed -n 's/^rank job: \([0-9]*\).*/\1/p' <<<"$resubmitted")
merge_job=$(sed -n 's/^merge job: \([0-9]*\).*/\1/p' <<<"$resubmitted")
wait_job "$rank_job" 60
wait_job "$merge_job" 30
grep -q "already complete" work/logs/tunepack-signatures-2.log ||
  fail "the resubmitted rank 2 did not skip its complete part"
grep -q "already complete" work/logs/tunepack-filter-0.log || fail "the filter rank 0 did not skip its complete part"
grep -q "already complete" work/logs/tunepack-buckets-1.log || fail "the bucket task 1 did not skip its complete file"
diff -r single merged >&2 || fail "the merge after the resubmission differs"
echo "resubmitted rank 2 skipped its complete part; merge again byte-identical"
