# Shared by the sharding benchmarks (sourced, not run). The caller sets `bin`, `work`,
# `runs`, and `input` (what to export) and may set the array `export_args` (options every
# export of the run gets, e.g. --format openai).
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one_process() {  # -> seconds (median); leaves the output in $work/single
  local times=() t0
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/single"
    t0=$(now)
    "$bin" export "$input" "${export_args[@]}" -o "$work/single" --progress none -j "$(nproc)" 2>/dev/null || true
    times+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | median
}

sharded() {  # N J -> "ranks_seconds merge_seconds"; the merged folder must equal $work/single
  local n=$1 j=$2 rank_times=() merge_times=() t0 t1 pids
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/parts" "$work/merged"
    t0=$(now)
    pids=()
    for rank in $(seq 0 $((n - 1))); do
      "$bin" export "$input" "${export_args[@]}" -o "$work/parts/rank-$rank" --shard "$rank/$n" -j "$j" \
        --progress none 2>/dev/null &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    t1=$(now)
    "$bin" merge "$work"/parts/rank-* -o "$work/merged" 2>/dev/null || true
    rank_times+=("$(echo "$t1 - $t0" | bc)")
    merge_times+=("$(echo "$(now) - $t1" | bc)")
    diff -r "$work/single" "$work/merged" >/dev/null || { echo "merged output differs!" >&2; exit 1; }
  done
  echo "$(printf '%s\n' "${rank_times[@]}" | median) $(printf '%s\n' "${merge_times[@]}" | median)"
}

# Prints the table rows: one process, then N ranks with -j J each for each "N J" given.
sharding_table() {
  local single n j ranks merge
  single=$(one_process)
  echo "| one process, -j $(nproc) | $single | | $single |"
  for spec in "$@"; do
    read -r n j <<<"$spec"
    read -r ranks merge <<<"$(sharded "$n" "$j")"
    echo "| $n ranks, -j $j each | $ranks | $merge | $(echo "$ranks + $merge" | bc) |"
  done
}
