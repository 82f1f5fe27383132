#!/usr/bin/env bash
# `export --layout hf --tokenizer` end to end: the records are tokenized for the dataset
# card's per-split token table and for stats.json. Times this build's binary and, when given,
# another (an older build) on the same input in the same run, one fresh process per run,
# median of RUNS; then checks that both wrote the same folder, byte for byte.
#
# Usage: bench/hf_layout_tokens.sh [MB] [RUNS] [OTHER_TUNEPACK]   (default 4 MB, 3 runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-4}"
runs="${2:-3}"
other="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tunepack="$root/build/tunepack"
python3 "$root/bench/e2e/gen_corpus.py" sharegpt "$mb" "$work/sharegpt.jsonl"
"$tunepack" convert "$work/sharegpt.jsonl" --to openai -o "$work/openai" --progress none 2>/dev/null
input="$work/openai/train.jsonl"
bytes=$(stat -c %s "$input")
echo "input: $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB of OpenAI chat JSONL, $(wc -l <"$input") records; $runs runs each"

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() {  # label, binary, output folder
  local label="$1" binary="$2" out="$3"
  local times=() cpus=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$binary" export "$input" --format openai --layout hf \
      --tokenizer cl100k_base --split train=0.9,validation=0.1 -o "$out" --overwrite --progress none >/dev/null 2>&1
    read -r seconds user system kb <"$work/time"
    times+=("$seconds")
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN{print u + s}')")
    rss=$((kb > rss ? kb : rss))
  done
  printf '| %s | %s | %s | %s |\n' "$label" "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" "$((rss / 1024))"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| binary | seconds | CPU seconds | peak RSS (MB) |"
echo "|---|---:|---:|---:|"
measure "this build" "$tunepack" "$work/this/out"
if [ -n "$other" ]; then
  measure "$other" "$other" "$work/other/out"
  # Same options, same folder name (in different parents): the folders must be equal.
  if diff -r "$work/this" "$work/other" >/dev/null; then echo "outputs: identical"; else echo "outputs: DIFFER"; fi
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
