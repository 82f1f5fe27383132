#!/usr/bin/env bash
# Checks that no module can include another module's private headers: from each module's
# private include root (build/private_include/<module>, cmake/tunepack_module.cmake), a
# header of every other module must not resolve, while the module's own headers do.
# Usage: private_headers.sh SOURCE_DIR BINARY_DIR CXX_COMPILER
set -euo pipefail
source_dir=$1 binary_dir=$2 cxx=$3
probe=$(mktemp --suffix=.cc)
trap 'rm -f "$probe"' EXIT

shopt -s nullglob
roots=("$binary_dir"/private_include/*)
if ((${#roots[@]} == 0)); then
  echo "no private include roots in $binary_dir/private_include: modules see all of src/" >&2
  exit 1
fi

# Prints the first header of src/<module> (its path under src/), if any.
first_header() { (cd "$source_dir/src" && find "$1" -name '*.h' | sort | head -n 1); }
declare -A header_of
for root in "${roots[@]}"; do
  module=$(basename "$root")
  header_of[$module]=$(first_header "$module")
done

failures=0
for root in "${roots[@]}"; do
  module=$(basename "$root")
  # One probe per module including a header of every module. With -MM -MG the compiler
  # lists each header it found by its path and one it cannot find by the bare name, without
  # needing what the headers include.
  : >"$probe"
  for other in "${!header_of[@]}"; do
    [[ -n ${header_of[$other]} ]] && printf '#include "%s"\n' "${header_of[$other]}" >>"$probe"
  done
  found=$("$cxx" -std=c++20 -I"$root" -MM -MG "$probe")
  for other in "${!header_of[@]}"; do
    header=${header_of[$other]}
    [[ -z $header ]] && continue
    if [[ $other == "$module" ]]; then
      grep -qF "$root/$header" <<<"$found" ||
        { echo "$module: its own header $header does not resolve through $root" >&2; failures=$((failures + 1)); }
    elif grep -qF "/$header" <<<"$found"; then
      echo "$module can include $other's private header $header" >&2
      failures=$((failures + 1))
    fi
  done
done

# And no compilation of a module's sources gets all of src/ on its include path (tests,
# fuzz targets and benchmarks outside src/ may: they are white-box tests, not modules).
if [[ -f $binary_dir/compile_commands.json ]]; then
  wide=$(python3 - "$binary_dir/compile_commands.json" "$source_dir" <<'PY'
import json, shlex, sys
commands, source = sys.argv[1], sys.argv[2].rstrip("/")
for entry in json.load(open(commands)):
    if not entry["file"].startswith(source + "/src/"):
        continue
    args = shlex.split(entry["command"])
    paths = [a[2:] or args[i + 1] for i, a in enumerate(args) if a.startswith("-I")]
    if any(p.rstrip("/") == source + "/src" for p in paths):
        print(entry["file"])
PY
)
  if [[ -n $wide ]]; then
    echo "compiled with all of src/ on the include path:" >&2
    echo "$wide" >&2
    failures=$((failures + 1))
  fi
fi
echo "${#roots[@]} modules checked, $failures problem(s)"
((failures == 0))
