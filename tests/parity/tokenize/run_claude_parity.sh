#!/usr/bin/env bash
# Parity of tunepack's claude-legacy with the npm package @anthropic-ai/tokenizer itself:
# default mode against encode_ordinary(NFKC(text)), --allow-special against what the
# package's countTokens() encodes (encode(NFKC(text), "all")). Requires every document's
# ids to be identical and prints the first difference.
#
# The package normalises with the JavaScript runtime's ICU (Unicode 17.0 in node 20.20);
# tunepack with utf8proc 2.8 (Unicode 15.0). On a document where the two Unicode versions
# normalise differently (characters assigned since 16.0), the ids may instead equal those of
# the package's tokenizer over the text as Debian's ICU 72 (Unicode 15.0, `uconv -x nfkc`)
# normalises it; the comparison says how many documents that decided.
#
# Usage: run_claude_parity.sh TUNEPACK_BINARY WORK_DIR
set -euo pipefail
source "$(dirname "$0")/parity_lib.sh"
parity_start claude "$1" "$2" @anthropic-ai/tokenizer
python3 - "$work/corpus.jsonl" "$work/texts.rs" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f if line.strip()]
assert not any("\x1e" in text for text in texts), "a document holds U+001E, the separator"
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    f.write("\x1e".join(texts))
PY
if ! command -v uconv >/dev/null; then
  echo "claude parity: uconv not found; install icu-devtools (scripts/setup)" >&2
  exit 1
fi
uconv -f utf-8 -t utf-8 -x nfkc "$work/texts.rs" > "$work/texts.nfkc15.rs"

node "$here/claude_reference.js" ordinary "$work/corpus.jsonl" "$work/claude.expected" \
  --unicode15 "$work/texts.nfkc15.rs" "$work/claude.alternate" &
ordinary=$!
node "$here/claude_reference.js" count "$work/corpus.jsonl" "$work/claude.count.expected" \
  --unicode15 "$work/texts.nfkc15.rs" "$work/claude.count.alternate" &
count=$!
"$tunepack" tokenize --tokenizer claude-legacy < "$work/corpus.jsonl" > "$work/claude.actual"
"$tunepack" tokenize --allow-special --tokenizer claude-legacy < "$work/corpus.jsonl" \
  > "$work/claude.count.actual"
wait "$ordinary"
wait "$count"
status=0
python3 "$here/compare_ids.py" claude-legacy "$work/corpus.jsonl" \
  "$work/claude.expected" "$work/claude.actual" --alternate "$work/claude.alternate" || status=1
python3 "$here/compare_ids.py" "claude-legacy --allow-special (countTokens)" "$work/corpus.jsonl" \
  "$work/claude.count.expected" "$work/claude.count.actual" \
  --alternate "$work/claude.count.alternate" || status=1
exit $status
