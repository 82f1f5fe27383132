#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds examples/embed against the installed
# CMake package in a fresh build folder, runs it and checks what it prints: the library, its
# headers and tunepackConfig.cmake are enough for a program outside this tree.
# Usage: embed_example.sh SOURCE_DIR BUILD_DIR WORK_DIR CXX_COMPILER [COMPILER_LAUNCHER]
set -euo pipefail
source_dir=$1 build_dir=$2 work=$3 cxx=$4 launcher=${5:-}

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log"

# Only what a consumer needs: the library, public headers, the package files.
unexpected=$(cd "$prefix" && find . -type f ! -path './include/tunepack/*.h' \
               ! -path './lib/libtunepack.a' ! -path './lib/cmake/tunepack/tunepackConfig*.cmake')
if [[ -n $unexpected ]]; then
  echo "installed files that are not the library, a public header or the package:" >&2
  echo "$unexpected" >&2
  exit 1
fi
for header in tunepack.h version.h tokenize/batch.h pipeline/export.h; do
  [[ -f $prefix/include/tunepack/$header ]] || { echo "not installed: include/tunepack/$header" >&2; exit 1; }
done

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$source_dir/examples/embed" -B "$work/build" "${generator[@]}" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
      ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >"$work/configure.log"
cmake --build "$work/build" >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }

"$work/build/embed_example" "hello world" >"$work/output.txt"
cat "$work/output.txt"

expect() {
  grep -qF -- "$1" "$work/output.txt" || { echo "missing from the output: $1" >&2; exit 1; }
}
expect '2 tokens in "hello world" (cl100k_base)'
expect 'event {"event":"run_started"'
expect 'event {"event":"input_started"'
expect 'event {"event":"record_written"'
expect 'event {"event":"input_finished"'
expect 'event {"event":"run_finished"'
expect 'summary: 2 inputs, 2 written, 0 rejected'
expect 'output: train.jsonl (train, 2 records)'
[[ $(grep -c '"event":"record_written"' "$work/output.txt") == 2 ]] || { echo "expected 2 record_written events" >&2; exit 1; }
