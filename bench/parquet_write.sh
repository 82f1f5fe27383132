#!/usr/bin/env bash
# JSONL -> Parquet throughput: tunepack's Parquet writer on a ShareGPT corpus (generated
# deterministically by bench/e2e/gen_corpus.py, then converted to OpenAI chat records), one
# fresh process per run (build/src/parquet/parquet_tool write), each codec; prints the median
# of RUNS runs in MB of JSONL per second. Also the whole `tunepack convert --layout hf`.
#
# Usage: bench/parquet_write.sh [MB] [RUNS]     (default 256 MB, 3 runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-256}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tool="$root/build/src/parquet/parquet_tool"
tunepack="$root/build/tunepack"
python3 "$root/bench/e2e/gen_corpus.py" sharegpt "$mb" "$work/sharegpt.jsonl"
"$tunepack" convert "$work/sharegpt.jsonl" --to openai -o "$work/openai" --progress none 2>/dev/null
input="$work/openai/train.jsonl"
bytes=$(stat -c %s "$input")
echo "input: $(awk -v b="$bytes" 'BEGIN{printf "%.0f", b/1e6}') MB of OpenAI chat JSONL, $(wc -l <"$input") records; $runs runs each"

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() {  # label, command...
  local label="$1"
  shift
  local times=() cpus=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r seconds user system kb <"$work/time"
    times+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN{print u + s}')")
    rss=$((kb > rss ? kb : rss))
  done
  local s c
  s=$(printf '%s\n' "${times[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$s" "$(awk -v b="$bytes" -v s="$s" 'BEGIN{printf "%.0f", b/1e6/s}')" \
    "$c" "$(awk -v b="$bytes" -v s="$c" 'BEGIN{printf "%.0f", b/1e6/s}')" "$((rss / 1024))"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | seconds | MB/s | CPU seconds | MB per CPU second | peak RSS (MB) |"
echo "|---|---:|---:|---:|---:|---:|"
for codec in snappy zstd none; do
  measure "parquet writer, $codec" "$tool" write "$input" "$work/out.parquet" --compression "$codec"
done
measure "tunepack convert --layout hf (snappy, whole export)" \
  "$tunepack" convert "$input" --to openai --layout hf -o "$work/hf" --overwrite --progress none
echo "output (snappy): $(stat -c %s "$work/hf/data/train-00000-of-00001.parquet") bytes"
