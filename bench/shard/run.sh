#!/usr/bin/env bash
# Sharded export on one machine: N ranks (`export --shard I/N -j J`) started together, then
# `tunepack merge`; wall-clock of each phase, median of RUNS runs, against one process.
# Then the staged near dedup (signatures, dedup-plan, filter, merge) against one process
# with --dedup near, and the size of the stage files.
# usage: bench/shard/run.sh [MB] [RUNS]   (from the repository root, after `make build`)
set -euo pipefail
mb=${1:-128}
runs=${2:-3}
bin=$PWD/build/tunepack
work=$(mktemp -d /tmp/tunepack-shard-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/e2e/gen_corpus.py markdown "$mb" "$work/md" >/dev/null
echo "corpus: $(du -sm "$work/md" | cut -f1) MB in $(find "$work/md" -type f | wc -l) files; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
input=$work/md
export_args=()
source "$(dirname "$0")/lib.sh"
sharding_table "1 $(nproc)" "2 1" "4 1"

staged_dedup() {  # N -> "signatures plan filter merge" seconds (medians)
  local n=$1 sig=() plan=() filter=() merge=() t0 t1 t2 t3 pids
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/sig" "$work/parts" "$work/merged" "$work/plan.jsonl"
    t0=$(now); pids=()
    for rank in $(seq 0 $((n - 1))); do
      "$bin" export "$work/md" -o "$work/sig/rank-$rank" --shard "$rank/$n" --dedup near -j 1 --progress none 2>/dev/null &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    t1=$(now)
    "$bin" dedup-plan "$work"/sig/rank-* -o "$work/plan.jsonl" 2>/dev/null
    t2=$(now); pids=()
    for rank in $(seq 0 $((n - 1))); do
      "$bin" export "$work/md" -o "$work/parts/rank-$rank" --shard "$rank/$n" --dedup near --dedup-plan "$work/plan.jsonl" \
        -j 1 --progress none 2>/dev/null &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    t3=$(now)
    "$bin" merge "$work"/parts/rank-* -o "$work/merged" 2>/dev/null || true
    sig+=("$(echo "$t1 - $t0" | bc)"); plan+=("$(echo "$t2 - $t1" | bc)")
    filter+=("$(echo "$t3 - $t2" | bc)"); merge+=("$(echo "$(now) - $t3" | bc)")
    diff -r "$work/single-dedup" "$work/merged" >/dev/null || { echo "staged dedup differs!" >&2; exit 1; }
  done
  for list in sig plan filter merge; do
    local -n values=$list
    printf '%s ' "$(printf '%s\n' "${values[@]}" | median)"
  done
  echo
}

times=()
for r in $(seq 1 "$runs"); do
  rm -rf "$work/single-dedup"
  t0=$(now)
  "$bin" export "$work/md" -o "$work/single-dedup" --dedup near --progress none -j "$(nproc)" 2>/dev/null || true
  times+=("$(echo "$(now) - $t0" | bc)")
done
echo "| one process --dedup near, -j $(nproc) | $(printf '%s\n' "${times[@]}" | median) |"
for n in 2 4; do
  read -r s p f m <<<"$(staged_dedup "$n")"
  echo "| $n ranks staged: signatures $s, plan $p, filter $f, merge $m | $(echo "$s + $p + $f + $m" | bc) |"
done
records=$(grep -c . "$work/single-dedup/rejected.jsonl" || true)
echo "signature files: $(cat "$work"/sig/rank-*/dedup-signatures.bin | wc -c) bytes for $(cat "$work"/sig/rank-*/manifest.json | grep -m1000 '"examples_written"' | awk -F: '{s+=$2} END {print s}') examples; plan: $(wc -c <"$work/plan.jsonl") bytes, $(($(wc -l <"$work/plan.jsonl") - 1)) duplicates"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
