#!/usr/bin/env python3
"""Tokenizer throughput of tunepack beside the reference implementations, in one run.

For each row of rows.tsv (name, tunepack spec, peer kind, peer argument) it measures, on the
same corpus of 4-64 KB documents (make_corpus.py), one document per call, single thread:
  - tunepack (build/bench/tokenize_bench): MB/s and tokens/s, load time, and ms per MB on
    1 MB runs of 'a', spaces, digits and newlines;
  - the peer (node, tests/peers): MB/s and tokens/s.
MB/s is 10^6 bytes of UTF-8 input per second of CPU time of the encoding thread (tunepack)
or process (node): the machine is shared, and wall time counts the waits. Medians of RUNS
passes after three warm-up documents. Prints Markdown for BENCHMARKS.md.

Usage: bench/tokenize/run.py [--runs 3] [--mb-per-category 1] [--rows FILE] [--only a,b]
                             [--workdir DIR]
Needs: build/bench/tokenize_bench (ninja -C build tokenize_bench), node, scripts/test-peers.
"""
import argparse
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(ROOT, "build", "bench", "tokenize_bench")

# Peer kinds: each returns the command that prints one JSON line for (argument, corpus, runs).
PEERS = {
    "hf": ("Hugging Face tokenizers 0.23.2 (native)",
           lambda arg, corpus, runs: ["node", os.path.join(HERE, "peer_hf.js"), os.path.join(ROOT, arg), corpus, str(runs)]),
    "tiktoken": ("tiktoken 1.0.22 (WASM)",
                 lambda arg, corpus, runs: ["node", os.path.join(HERE, "peer_tiktoken.js"), arg, corpus, str(runs)]),
}


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def read_rows(path, only):
    rows = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, spec, kind, arg = line.rstrip("\n").split("\t")
            if only and name not in only:
                continue
            if kind != "-" and kind not in PEERS:
                # Rows whose peer only single_pass.py runs (claude, spm with its extracted models).
                print(f"skipping {name}: its peer kind {kind} is measured by single_pass.py", file=sys.stderr)
                continue
            rows.append((name, spec if "/" not in spec else os.path.join(ROOT, spec), kind, arg))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb-per-category", type=float, default=1.0)
    parser.add_argument("--rows", default=os.path.join(HERE, "rows.tsv"))
    parser.add_argument("--only", default="")
    parser.add_argument("--workdir", default="/tmp/tunepack-tokenize-bench")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    corpus = os.path.join(args.workdir, "corpus.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), corpus,
                    "--mb-per-category", str(args.mb_per_category)], check=True)
    rows = read_rows(args.rows, set(filter(None, args.only.split(","))))

    results = []
    for name, spec, kind, arg in rows:
        print(f"measuring {name}", file=sys.stderr)
        ours = run_json([BENCH, spec, corpus, str(args.runs)])[0]
        load = run_json([BENCH, spec, "--load", "3"])[0]
        adversarial = {r["case"]: r for r in run_json([BENCH, spec, "--adversarial", "1"])}
        peer = None
        if kind != "-":
            peer = run_json(PEERS[kind][1](arg, corpus, args.runs))[0]
        results.append((name, kind, ours, load, adversarial, peer))

    cpu = platform.processor() or ""
    try:
        cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
    except (OSError, IndexError):
        pass
    documents = results[0][2]["documents"] if results else 0
    size = results[0][2]["bytes"] / 1e6 if results else 0
    print(f"Corpus: {documents} documents, {size:.2f} MB (bench/tokenize/make_corpus.py "
          f"--mb-per-category {args.mb_per_category}); {os.cpu_count()} cores, {cpu}; "
          f"median of {args.runs} runs.\n")
    print("| tokenizer | tunepack MB/s | tunepack Mtok/s | peer | peer MB/s | peer Mtok/s | speed-up | same token count | load ms (CPU / wall) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, kind, ours, load, adversarial, peer in results:
        peer_name = PEERS[kind][0] if peer else "-"
        if peer:
            same = "yes" if peer["tokens"] == ours["tokens"] else f"no ({ours['tokens']} vs {peer['tokens']})"
            print(f"| {name} | {ours['mb_per_s']:.1f} | {ours['mtok_per_s']:.2f} | {peer_name} | "
                  f"{peer['mb_per_s']:.2f} | {peer['mtok_per_s']:.2f} | {ours['mb_per_s'] / peer['mb_per_s']:.1f}x | "
                  f"{same} | {load['load_cpu_ms']:.0f} / {load['load_ms']:.0f} |")
        else:
            print(f"| {name} | {ours['mb_per_s']:.1f} | {ours['mtok_per_s']:.2f} | - | - | - | - | - | "
                  f"{load['load_cpu_ms']:.0f} / {load['load_ms']:.0f} |")
    print("\nWall-clock MB/s of the same runs (tunepack / peer): " + ", ".join(
        f"{name} {ours['wall_mb_per_s']:.1f} / {peer['wall_mb_per_s']:.2f}" if peer else
        f"{name} {ours['wall_mb_per_s']:.1f}" for name, _, ours, _, _, peer in results) + ".\n")
    print("Adversarial inputs, tunepack, CPU ms per MB (one 1 MB document each):\n")
    print("| tokenizer | 'a' | spaces | digits | newlines |")
    print("|---|---|---|---|---|")
    for name, _, _, _, adversarial, _ in results:
        cells = [f"{adversarial[c]['ms_per_mb']:.0f}" for c in ("run_a", "run_spaces", "run_digits", "run_newlines")]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
