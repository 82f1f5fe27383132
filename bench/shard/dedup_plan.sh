#!/usr/bin/env bash
# The plan stage of a staged near dedup: one `tunepack dedup-plan` process against M bucket
# tasks (`--bucket-shard J/M`, started together, as on M machines) and their combine;
# wall-clock and peak RSS (/usr/bin/time), median of RUNS runs, each a fresh process. The
# Markdown corpus gets near duplicates: every 8th document again with a paragraph added, so
# the tasks find pairs. Every combined plan is checked byte-identical to the one-process one.
# usage: bench/shard/dedup_plan.sh [MB] [RUNS] [M] [RANKS]   (from the repository root, after `make build`)
set -euo pipefail
mb=${1:-64}
runs=${2:-3}
tasks=${3:-2}
ranks=${4:-2}
bin=$PWD/build/tunepack
work=$(mktemp -d /tmp/tunepack-plan-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/e2e/gen_corpus.py markdown "$mb" "$work/md" >/dev/null
i=0
for file in $(find "$work/md" -name '*.md' | sort); do
  if ((i++ % 8 == 0)); then
    { cat "$file"; printf '\nOne more paragraph, added to make this copy a near duplicate.\n'; } >"${file%.md}-copy.md"
  fi
done
source "$(dirname "$0")/lib.sh"
echo "corpus: $(du -sm "$work/md" | cut -f1) MB in $(find "$work/md" -type f | wc -l) files; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

pids=()
for rank in $(seq 0 $((ranks - 1))); do
  "$bin" export "$work/md" -o "$work/sig/rank-$rank" --shard "$rank/$ranks" --dedup near -j 1 --progress none 2>/dev/null &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "signatures: $ranks ranks, $(cat "$work"/sig/rank-*/dedup-signatures.bin | wc -c) bytes"

timed() {  # OUT_FILE COMMAND... -> "seconds peak_kb" of the command into OUT_FILE, its messages into OUT_FILE.log
  local out=$1
  shift
  /usr/bin/time -f '%e %M' -o "$out" "$@" 2>"$out.log"
}

one=() one_rss=() task_s=() task_rss=() combine=() combine_rss=()
for r in $(seq 1 "$runs"); do
  rm -rf "$work/buckets" "$work"/plan*.jsonl
  timed "$work/t-one" "$bin" dedup-plan "$work"/sig/rank-* -o "$work/plan.jsonl"
  read -r s kb <"$work/t-one"; one+=("$s"); one_rss+=("$kb")
  t0=$(now); pids=()
  for task in $(seq 0 $((tasks - 1))); do
    timed "$work/t-task-$task" "$bin" dedup-plan "$work"/sig/rank-* --bucket-shard "$task/$tasks" --buckets "$work/buckets" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  task_s+=("$(printf '%.2f' "$(echo "$(now) - $t0" | bc)")")
  task_rss+=("$(cat "$work"/t-task-* | awk '{print $2}' | sort -n | tail -1)")
  timed "$work/t-combine" "$bin" dedup-plan "$work"/sig/rank-* --buckets "$work/buckets" -o "$work/plan-buckets.jsonl"
  read -r s kb <"$work/t-combine"; combine+=("$s"); combine_rss+=("$kb")
  cmp -s "$work/plan.jsonl" "$work/plan-buckets.jsonl" || { echo "the combined plan differs!" >&2; exit 1; }
done
med() { printf '%s\n' "$@" | median; }
echo "| one process | $(med "${one[@]}") | $(($(med "${one_rss[@]}") / 1024)) |"
echo "| $tasks bucket tasks at once (slowest; largest RSS) | $(med "${task_s[@]}") | $(($(med "${task_rss[@]}") / 1024)) |"
echo "| combine | $(med "${combine[@]}") | $(($(med "${combine_rss[@]}") / 1024)) |"
echo "bucket files: $(cat "$work"/buckets/*.bin | wc -c) bytes; plan: $(($(wc -l <"$work/plan.jsonl") - 1)) duplicates"
cat "$work"/t-task-*.log "$work/t-combine.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
