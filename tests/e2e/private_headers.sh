#!/usr/bin/env bash
# Checks that no module can include another module's private headers: from each module's
# private include root (build/private_include/<module>, cmake/tunepack_module.cmake), a
# header of every other module must not resolve, while the module's own headers do.
# Usage: private_headers.sh SOURCE_DIR BINARY_DIR CXX_COMPILER
set -euo pipefail
source_dir=$1 binary_dir=$2 cxx=$3
probe=$(mktemp --suffix=.cc)
trap 'rm -f "$probe"' EXIT

# Prints the first header of src/<module> (its path under src/), if any.
first_header() { (cd "$source_dir/src" && find "$1" -name '*.h' | sort | head -n 1); }

failures=0
shopt -s nullglob
roots=("$binary_dir"/private_include/*)
if ((${#roots[@]} == 0)); then
  echo "no private include roots in $binary_dir/private_include: modules see all of src/" >&2
  exit 1
fi
for root in "${roots[@]}"; do
  module=$(basename "$root")
  own=$(first_header "$module")
  # Resolution only: with -MM -MG the compiler lists the header it found by its path, and
  # a header it cannot find by the bare name, without needing what the header includes.
  if [[ -n $own ]]; then
    printf '#include "%s"\n' "$own" >"$probe"
    if ! "$cxx" -std=c++20 -I"$root" -MM -MG "$probe" | grep -qF "$root/$own"; then
      echo "$module: its own header $own does not resolve through $root" >&2
      failures=$((failures + 1))
    fi
  fi
  for other_root in "${roots[@]}"; do
    other=$(basename "$other_root")
    [[ $other == "$module" ]] && continue
    header=$(first_header "$other")
    [[ -z $header ]] && continue
    printf '#include "%s"\n' "$header" >"$probe"
    if "$cxx" -std=c++20 -I"$root" -MM -MG "$probe" | grep -qF "/$header"; then
      echo "$module can include $other's private header $header" >&2
      failures=$((failures + 1))
    fi
  done
done
echo "${#roots[@]} modules checked, $failures problem(s)"
((failures == 0))
