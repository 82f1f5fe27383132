#!/usr/bin/env bash
# Peak memory of reading a large Parquet file: `tunepack stats FILE.parquet` (every record
# assembled and read as a dataset record) under /usr/bin/time. The file is MB megabytes of
# OpenAI chat records whose contents are random hex (so Snappy leaves the file about as
# large as its JSON), written by tunepack's writer in row groups of 100 MB.
#
# Usage: bench/parquet_read.sh [MB] [TUNEPACK]   (default 400 MB, build/tunepack)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-400}"
tunepack="${2:-$root/build/tunepack}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$mb" "$work/chat.jsonl" <<'PY'
import json, os, random, sys
random.seed(1)
limit, total, i = int(sys.argv[1]) * 1000 * 1000, 0, 0
with open(sys.argv[2], "w") as f:
    while total < limit:
        user = random.randbytes(random.randint(100, 600)).hex()
        answer = random.randbytes(random.randint(200, 1500)).hex()
        line = json.dumps({"messages": [{"role": "user", "content": f"Q{i} {user}"},
                                        {"role": "assistant", "content": answer}]}) + "\n"
        f.write(line)
        total += len(line)
        i += 1
PY
"$root/build/src/parquet/parquet_tool" write "$work/chat.jsonl" "$work/chat.parquet"
rm "$work/chat.jsonl"
echo "file: $(stat -c %s "$work/chat.parquet") bytes of Parquet"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e s wall, %U s user, %S s system, peak RSS %M KB" "$tunepack" stats "$work/chat.parquet" | head -n 2
