#!/usr/bin/env bash
# Sharded export on one machine: N ranks (`export --shard I/N -j J`) started together, then
# `tunepack merge`; wall-clock of each phase, median of RUNS runs, against one process.
# usage: bench/shard/run.sh [MB] [RUNS]   (from the repository root, after `make build`)
set -euo pipefail
mb=${1:-128}
runs=${2:-3}
bin=$PWD/build/tunepack
work=$(mktemp -d /tmp/tunepack-shard-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/e2e/gen_corpus.py markdown "$mb" "$work/md" >/dev/null
echo "corpus: $(du -sm "$work/md" | cut -f1) MB in $(find "$work/md" -type f | wc -l) files; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one_process() {
  local times=() t0
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/single"
    t0=$(now)
    "$bin" export "$work/md" -o "$work/single" --progress none -j "$(nproc)" 2>/dev/null || true
    times+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | median
}

sharded() {  # N J -> "ranks_seconds merge_seconds"
  local n=$1 j=$2 rank_times=() merge_times=() t0 t1 pids
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/parts" "$work/merged"
    t0=$(now)
    pids=()
    for rank in $(seq 0 $((n - 1))); do
      "$bin" export "$work/md" -o "$work/parts/rank-$rank" --shard "$rank/$n" -j "$j" --progress none 2>/dev/null &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    t1=$(now)
    "$bin" merge "$work"/parts/rank-* -o "$work/merged" 2>/dev/null || true
    rank_times+=("$(echo "$t1 - $t0" | bc)")
    merge_times+=("$(echo "$(now) - $t1" | bc)")
    diff -r "$work/single" "$work/merged" >/dev/null || { echo "merged output differs!" >&2; exit 1; }
  done
  echo "$(printf '%s\n' "${rank_times[@]}" | median) $(printf '%s\n' "${merge_times[@]}" | median)"
}

single=$(one_process)
echo "| one process, -j $(nproc) | $single | | $single |"
for spec in "1 $(nproc)" "2 1" "4 1"; do
  read -r n j <<<"$spec"
  read -r ranks merge <<<"$(sharded "$n" "$j")"
  echo "| $n ranks, -j $j each | $ranks | $merge | $(echo "$ranks + $merge" | bc) |"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
