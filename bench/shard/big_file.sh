#!/usr/bin/env bash
# One large JSON Lines file exported by N ranks, each reading a byte range of it
# (`export --shard I/N`), then `tunepack merge`; wall-clock, median of RUNS runs, against
# one process. Then what skipping a prefix costs: the last rank of 64 reads 63/64 of the
# file before its own range (hashing it and counting its lines), against the first rank of
# 64, which reads only its range.
# usage: bench/shard/big_file.sh [MB] [RUNS]   (from the repository root, after `make build`)
set -euo pipefail
mb=${1:-256}
runs=${2:-3}
bin=$PWD/build/tunepack
work=$(mktemp -d /tmp/tunepack-bigfile-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/e2e/gen_corpus.py sharegpt "$mb" "$work/big.jsonl" >/dev/null
echo "input: one file of $(du -m "$work/big.jsonl" | cut -f1) MB, $(wc -l <"$work/big.jsonl") records; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one_process() {
  local times=() t0
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/single"
    t0=$(now)
    "$bin" export "$work/big.jsonl" --format openai -o "$work/single" --progress none -j "$(nproc)" 2>/dev/null || true
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
      "$bin" export "$work/big.jsonl" --format openai -o "$work/parts/rank-$rank" --shard "$rank/$n" -j "$j" --progress none 2>/dev/null &
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

one_rank() {  # I N -> seconds (median), the rank alone, -j 1
  local times=() t0
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/alone"
    t0=$(now)
    "$bin" export "$work/big.jsonl" --format openai -o "$work/alone" --shard "$1/$2" -j 1 --progress none 2>/dev/null || true
    times+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | median
}

single=$(one_process)
echo "| one process, -j $(nproc) | $single | | $single |"
for spec in "1 $(nproc)" "2 1"; do
  read -r n j <<<"$spec"
  read -r ranks merge <<<"$(sharded "$n" "$j")"
  echo "| $n ranks, -j $j each | $ranks | $merge | $(echo "$ranks + $merge" | bc) |"
done
first=$(one_rank 0 64)
last=$(one_rank 63 64)
echo "rank 0/64 alone: $first s; rank 63/64 alone: $last s (skips $((mb * 63 / 64)) MB first)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
