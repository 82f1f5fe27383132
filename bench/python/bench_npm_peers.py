#!/usr/bin/python3
"""Tokenizer.encode_batch from Python beside the npm builds of tiktoken and Hugging Face
tokenizers, for the tokenizers whose Python packages Debian 12 does not ship (BENCHMARKS.md,
"Python package"). The peers are the npm (WASM / node) builds in tests/peers, not the Python
packages: the figures say how tunepack from Python compares with those builds, nothing about
the Python packages.

Single pass, as bench/tokenize/single_pass.py measures (whose corpus, rows, peer scripts and
timing it reuses): per round, a fresh Python process loads the tokenizer, encodes the same
2 KB warm-up text the peers encode, then calls encode_batch(texts, threads=1) once over the
corpus; a fresh node process runs the peer in --single-pass encode mode (one encode call per
document). Both pinned to one core (taskset); CPU time of the encode pass, medians of --runs
rounds, order alternating; the token totals must agree.

Usage: PYTHONPATH=build/python bench/python/bench_npm_peers.py [--runs 3] [--cpu 1]
           [--mb-per-category 0.25] [--only cl100k_base,llama3]
Needs scripts/test-peers and node.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "tokenize"))
import single_pass  # noqa: E402  (the tokenizer benchmark's corpus, rows and timing)


def warm_up_text():
    """The peers' warm-up text (peer_common.js warmUpText): the same generator, word for word."""
    state = 20261206

    def step():
        nonlocal state
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        return state

    text = ""
    for word in range(300):
        length = 2 + ((step() >> 24) % 7)
        text += "".join(chr(97 + ((step() >> 24) % 26)) for _ in range(length))
        text += "\n" if word % 17 == 16 else " "
    return text


def one_pass(spec, corpus, as_numpy):
    """Runs in the fresh process: prints the pass as the peers print theirs (one JSON line)."""
    import tunepack
    if as_numpy:
        import numpy  # noqa: F401  (imported before the clock starts, as a NumPy user's program has)
    with open(corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    cpu, wall = time.process_time(), time.perf_counter()
    tokenizer = tunepack.Tokenizer(spec)
    load_cpu = time.process_time() - cpu
    tokenizer.encode(warm_up_text())
    cpu, wall = time.process_time(), time.perf_counter()
    ids = tokenizer.encode_batch(texts, threads=1, as_numpy=as_numpy)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    tokens = len(ids[0]) if as_numpy else sum(map(len, ids))
    print(json.dumps({"tokens": tokens, "cpu_seconds": cpu, "wall_seconds": wall,
                      "load_cpu_seconds": load_cpu}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=1)
    parser.add_argument("--mb-per-category", type=float, default=0.25)
    parser.add_argument("--only", default="")
    parser.add_argument("--workdir", default="/tmp/tunepack-python-npm-bench")
    parser.add_argument("--one", nargs=2, metavar=("SPEC", "CORPUS"), help=argparse.SUPPRESS)
    parser.add_argument("--numpy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one_pass(*args.one, as_numpy=args.numpy)
    os.makedirs(args.workdir, exist_ok=True)
    corpus = os.path.join(args.workdir, "corpus.jsonl")
    subprocess.run([sys.executable, str(ROOT / "bench/tokenize/make_corpus.py"), corpus,
                    "--mb-per-category", str(args.mb_per_category)], check=True)
    with open(corpus, encoding="utf-8") as f:
        text_bytes = sum(len(json.loads(line)["text"].encode()) for line in f if line.strip())
    rows = single_pass.read_rows(str(ROOT / "bench/tokenize/rows.tsv"),
                                 set(filter(None, args.only.split(","))))
    pin = ["taskset", "-c", str(args.cpu)]
    print("| tokenizer | tunepack `encode_batch(threads=1)` from Python, MB/s "
          "| the same with `as_numpy=True`, MB/s "
          "| npm peer (WASM / node), MB/s | ratio (lists) | ratio (NumPy) | same tokens |")
    print("|---|---|---|---|---|---|---|")
    for name, spec, kind, arg in rows:
        if kind not in ("tiktoken", "hf"):
            continue
        commands = {
            "tunepack": pin + [sys.executable, __file__, "--one", spec, corpus],
            "numpy": pin + [sys.executable, __file__, "--one", spec, corpus, "--numpy"],
            "peer": pin + ["node", str(ROOT / "bench/tokenize" / single_pass.PEERS[kind][1]), arg, corpus,
                           "--single-pass", "encode"],
        }
        samples = {key: [] for key in commands}
        for round_index in range(args.runs):
            order = list(commands) if round_index % 2 == 0 else list(commands)[::-1]
            for key in order:
                out, _, _ = single_pass.timed(commands[key])
                samples[key].append(single_pass.first_json(out))
            print(f"  {name}: round {round_index + 1} of {args.runs}", file=sys.stderr)
        cpu = {key: statistics.median(s["cpu_seconds"] for s in runs) for key, runs in samples.items()}
        tokens = {key: {s["tokens"] for s in runs} for key, runs in samples.items()}
        ours, peer = text_bytes / cpu["tunepack"] / 1e6, text_bytes / cpu["peer"] / 1e6
        flat = text_bytes / cpu["numpy"] / 1e6
        same = len({frozenset(t) for t in tokens.values()}) == 1 and len(tokens["peer"]) == 1
        print(f"| {name} | {ours:.1f} | {flat:.1f} | {peer:.2f} ({single_pass.PEERS[kind][0]}) | "
              f"{ours / peer:.1f}x | {flat / peer:.1f}x | {'yes' if same else tokens} |")
    load = os.getloadavg()
    print(f"\n{text_bytes / 1e6:.2f} MB of text (make_corpus.py --mb-per-category {args.mb_per_category}), "
          f"CPU time of the encode pass, median of {args.runs} rounds, taskset -c {args.cpu}; "
          f"load average at the end {load[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")


if __name__ == "__main__":
    main()
