#!/usr/bin/env python3
"""Compares token ids line by line and prints the first difference with its context.

Usage: compare_ids.py LABEL CORPUS.jsonl EXPECTED.ids ACTUAL.ids
Exits 0 when every line is identical, 1 otherwise.
"""
import json
import sys


def main():
    label, corpus_path, expected_path, actual_path = sys.argv[1:5]
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
    differing = [i for i in range(len(corpus)) if expected[i] != actual[i]]
    tokens = sum(len(json.loads(line)) for line in expected)
    if not differing:
        print(f"{label}: {len(corpus)} documents, {tokens} tokens, 100% identical")
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
