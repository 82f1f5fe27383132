#!/usr/bin/python3
"""Writes the reference ids of SentencePiece (Debian's python3-sentencepiece, the C++
library's own binding) for every line of a parity corpus: one JSON array per line, in order.

Usage: spm_reference.py MODEL CORPUS.jsonl OUTPUT.ids [--add-special]
--add-special encodes with add_bos=True, add_eos=True (what tunepack's --add-special does).
"""
import json
import os
import sys

import sentencepiece


def main():
    model, corpus, output = sys.argv[1:4]
    add_special = "--add-special" in sys.argv[4:]
    processor = sentencepiece.SentencePieceProcessor(model_file=model)
    with open(corpus, encoding="utf-8") as f, open(output + ".tmp", "w") as out:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            ids = processor.encode(text, add_bos=add_special, add_eos=add_special)
            out.write("[" + ",".join(map(str, ids)) + "]\n")
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    sys.exit(main())
