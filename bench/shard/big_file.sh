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
input=$work/big.jsonl
export_args=(--format openai)
source "$(dirname "$0")/lib.sh"

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

sharding_table "1 $(nproc)" "2 1"
first=$(one_rank 0 64)
last=$(one_rank 63 64)
echo "rank 0/64 alone: $first s; rank 63/64 alone: $last s (skips $((mb * 63 / 64)) MB first)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
