#!/usr/bin/env bash
# Instructions per Qwen3 chat-template render, counted by callgrind (which machine load does
# not move) inside ChatTemplate::Render only, over template_bench's tunepack benchmark: the
# figure to A/B a change of the renderer.
#
#   bench/template/render_instructions.sh [build/bench/template_bench]
set -euo pipefail
bench=${1:-build/bench/template_bench}
out=$(mktemp /tmp/tunepack-render-callgrind.XXXXXX)
trap 'rm -f "$out"' EXIT
fn='tunepack::jinja::ChatTemplate::Render[abi:cxx11](tunepack::jinja::ChatInputs const&) const'
valgrind --tool=callgrind --callgrind-out-file="$out" --compress-strings=no --compress-pos=no \
  "--toggle-collect=$fn" "$bench" --benchmark_filter=Tunepack >/dev/null 2>&1
total=$(awk '/^totals:/ {print $2}' "$out")
renders=$(awk -v f="cfn=$fn" '$0 == f {getline; split($1, a, "="); n += a[2]} END {print n}' "$out")
echo "renders: $renders, instructions: $total, per render: $((total / renders))"
