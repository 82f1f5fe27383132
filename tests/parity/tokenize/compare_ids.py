#!/usr/bin/env python3
"""Compares token ids line by line and prints the first difference with its context.

Usage: compare_ids.py LABEL CORPUS.jsonl EXPECTED.ids ACTUAL.ids [--alternate ALTERNATE.ids]
Exits 0 when every line is identical, 1 otherwise. With --alternate, a line also matches when
it equals the alternate file's line (an empty line there means "no alternate"): a second
reference for documents on which two valid references differ, such as NFKC under two
Unicode versions. The number of lines decided by the alternate is printed.
"""
import json
import sys


def main():
    label, corpus_path, expected_path, actual_path = sys.argv[1:5]
    alternate = None
    if sys.argv[5:6] == ["--alternate"]:
        with open(sys.argv[6]) as f:
            alternate = [line.rstrip("\n") for line in f]
    with open(corpus_path, encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f if line.strip()]
    with open(expected_path) as f:
        expected = [line.rstrip("\n") for line in f]
    with open(actual_path) as f:
        actual = [line.rstrip("\n") for line in f]
    if len(expected) != len(corpus) or len(actual) != len(corpus):
        print(f"{label}: line counts differ: corpus {len(corpus)}, expected {len(expected)}, "
              f"actual {len(actual)}")
        return 1
    if alternate is not None and len(alternate) != len(corpus):
        print(f"{label}: alternate has {len(alternate)} lines, corpus {len(corpus)}")
        return 1
    by_alternate = [i for i in range(len(corpus)) if alternate is not None and
                    expected[i] != actual[i] and alternate[i] and alternate[i] == actual[i]]
    decided = set(by_alternate)
    differing = [i for i in range(len(corpus)) if expected[i] != actual[i] and i not in decided]
    tokens = sum(len(json.loads(line)) for line in expected)
    if not differing:
        note = ""
        if by_alternate:
            names = ", ".join(corpus[i]["name"] for i in by_alternate[:5])
            note = (f" ({len(by_alternate)} of them equal to the alternate reference only: "
                    f"{names}{', ...' if len(by_alternate) > 5 else ''})")
        print(f"{label}: {len(corpus)} documents, {tokens} tokens, 100% identical{note}")
        return 0
    i = differing[0]
    want, got = json.loads(expected[i]), json.loads(actual[i])
    at = next((k for k in range(min(len(want), len(got))) if want[k] != got[k]), min(len(want), len(got)))
    print(f"{label}: {len(differing)} of {len(corpus)} documents differ; first: line {i + 1} "
          f"({corpus[i]['name']}), token {at}")
    print(f"  expected ids[{at}:{at + 8}] = {want[at:at + 8]}")
    print(f"  actual   ids[{at}:{at + 8}] = {got[at:at + 8]}")
    print(f"  text starts: {corpus[i]['text'][:200]!r}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
