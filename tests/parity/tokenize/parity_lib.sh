# Shared start of the tokenizer parity scripts (run_*_parity.sh), sourced by each:
#   source "$(dirname "$0")/parity_lib.sh"
#   parity_start NAME TUNEPACK_BINARY WORK_DIR REQUIRED_PEER_PATH...
# sets `here`, `root`, `tunepack` and `work`, installs the npm test peers when one of the
# required paths (relative to tests/peers/node_modules) is missing, and writes the shared
# parity corpus to "$work/corpus.jsonl".
parity_start() {
  local name="$1"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  root="$(cd "$here/../../.." && pwd)"
  tunepack="$2"
  work="$3"
  shift 3
  mkdir -p "$work"
  local peer
  for peer in "$@"; do
    if [ ! -d "$root/tests/peers/node_modules/$peer" ]; then
      echo "$name parity: installing the test peers (scripts/test-peers)" >&2
      "$root/scripts/test-peers"
      break
    fi
  done
  python3 "$root/tools/tokenizers/make_parity_corpus.py" "$work/corpus.jsonl"
}
