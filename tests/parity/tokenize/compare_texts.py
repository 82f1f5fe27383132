#!/usr/bin/env python3
"""Compares decoded texts (one JSON string per line) and prints the first difference.

Usage: compare_texts.py LABEL IDS.jsonl EXPECTED.jsonl ACTUAL.jsonl
Exits 0 when every line is identical, 1 otherwise.
"""
import json
import sys


def main():
    label, ids_path, expected_path, actual_path = sys.argv[1:5]
    with open(ids_path) as f:
        ids = [line for line in f if line.strip()]
    with open(expected_path, encoding="utf-8") as f:
        expected = [json.loads(line) for line in f if line.strip()]
    with open(actual_path, encoding="utf-8") as f:
        actual = [json.loads(line) for line in f if line.strip()]
    if not (len(ids) == len(expected) == len(actual)):
        print(f"{label}: line counts differ: ids {len(ids)}, expected {len(expected)}, actual {len(actual)}")
        return 1
    differing = [i for i in range(len(ids)) if expected[i] != actual[i]]
    replaced = sum(1 for text in expected if isinstance(text, str) and "\ufffd" in text)
    if not differing:
        print(f"{label}: {len(ids)} decodes, {replaced} with U+FFFD, 100% identical")
        return 0
    i = differing[0]
    print(f"{label}: {len(differing)} of {len(ids)} decodes differ; first: line {i + 1}, ids {ids[i].strip()[:200]}")
    print(f"  expected {expected[i]!r:.300}")
    print(f"  actual   {actual[i]!r:.300}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
