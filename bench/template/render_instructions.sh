#!/usr/bin/env bash
# Instructions per chat-template render, counted by callgrind (which machine load does not
# move) inside ChatTemplate::Render only, over one of template_bench's tunepack benchmarks
# (FILTER, default the Qwen3 one; e.g. ModelTemplate/llama3_1_multi_turn): the figure to A/B
# a change of the renderer.
#
#   bench/template/render_instructions.sh [build/bench/template_bench] [FILTER]
set -euo pipefail
bench=${1:-build/bench/template_bench}
filter=${2:-Qwen3_Tunepack}
out=$(mktemp /tmp/tunepack-render-callgrind.XXXXXX)
trap 'rm -f "$out"' EXIT
fn='tunepack::jinja::ChatTemplate::Render[abi:cxx11](tunepack::jinja::ChatInputs const&) const'
# The `_into` rows render with ChatTemplate::RenderTo into a reused string.
if [[ $filter == *_into* ]]; then
  fn='tunepack::jinja::ChatTemplate::RenderTo(tunepack::jinja::ChatInputs const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&, std::vector<std::pair<unsigned long, unsigned long>, std::allocator<std::pair<unsigned long, unsigned long> > >*) const'
fi
valgrind --tool=callgrind --callgrind-out-file="$out" --compress-strings=no --compress-pos=no \
  "--toggle-collect=$fn" "$bench" "--benchmark_filter=$filter" >/dev/null 2>&1
total=$(awk '/^totals:/ {print $2}' "$out")
renders=$(awk -v f="cfn=$fn" '$0 == f {getline; split($1, a, "="); n += a[2]} END {print n}' "$out")
echo "renders: $renders, instructions: $total, per render: $((total / renders))"
