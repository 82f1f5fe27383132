#!/bin/sh
# Library code names options through OptionRef (core/option_ref.h), so each front end can
# spell them its own way; a literal "--flag" in a library message would reach API and Python
# users as a CLI flag. Fails listing every string literal under src/ that spells one, outside
# the front ends (cli/, server/ whose own flags are serve's) and the places whose text is
# fixed output or documentation (report pages and summaries, the ledger reasons' meanings).
set -eu
root=$1
cd "$root/src"
found=$(grep -rn --include='*.cc' --include='*.h' -E '"[^"]*--[a-z][a-z-]+' . |
  grep -v -E '^\./(cli|server)/|_test\.cc:|/tools/|^\./report/(html_report|stats_text)\.cc:|^\./core/reject_reason\.cc:' |
  grep -v -E '^[^:]+:[0-9]+:\s*//' |
  grep -v -E '"-----(BEGIN|END) ' || true)
if [ -n "$found" ]; then
  echo "library messages that spell a CLI flag (use OptionRef(\"name\") instead):"
  echo "$found"
  exit 1
fi
echo "no CLI flag spelled in library messages"
