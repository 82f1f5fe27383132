#!/usr/bin/env python3
"""The everyday baseline: ShareGPT JSONL to OpenAI chat JSONL with Python's json module."""
import json
import sys

ROLES = {"human": "user", "gpt": "assistant", "system": "system"}

with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for line in src:
        record = json.loads(line)
        messages = [{"role": ROLES[t["from"]], "content": t["value"]} for t in record["conversations"]]
        dst.write(json.dumps({"messages": messages}, ensure_ascii=False, separators=(",", ":")) + "\n")
