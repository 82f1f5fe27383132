#!/usr/bin/env bash
# Parity of tunepack's built-in tiktoken encodings with the official tiktoken (npm, WASM):
# generates the corpus, computes the reference ids with node, runs `tunepack tokenize` and
# requires every document's ids to be identical on every encoding.
#
# Usage: run_tiktoken_parity.sh TUNEPACK_BINARY WORK_DIR
set -euo pipefail
source "$(dirname "$0")/parity_lib.sh"
parity_start tiktoken "$1" "$2" tiktoken
# The tokenize command reads {"text": ...}; the corpus's "name" field is ignored.
status=0
pids=()
for encoding in cl100k_base o200k_base p50k_base r50k_base gpt2; do
  node "$here/tiktoken_reference.js" "$encoding" "$work/corpus.jsonl" "$work/$encoding.expected" &
  pids+=($!)
done
for encoding in cl100k_base o200k_base p50k_base r50k_base gpt2; do
  "$tunepack" tokenize --tokenizer "$encoding" < "$work/corpus.jsonl" > "$work/$encoding.actual"
done
for pid in "${pids[@]}"; do wait "$pid"; done
for encoding in cl100k_base o200k_base p50k_base r50k_base gpt2; do
  python3 "$here/compare_ids.py" "$encoding" "$work/corpus.jsonl" \
    "$work/$encoding.expected" "$work/$encoding.actual" || status=1
done
exit $status
