#!/usr/bin/env python3
"""Two tunepack binaries' `tokenize` command side by side, in the same minutes.

For each tokenizer spec, runs `BINARY tokenize --tokenizer SPEC [FLAGS] < CORPUS` for binary A
and binary B alternately (the order swapped every round), a fresh process each, pinned to one
core, stdout to a pipe read by this script; prints the median CPU milliseconds (user + system,
from wait4) and wall milliseconds of each, B's change against A, and whether the two outputs
are byte-identical (compared on every run). The load average is printed before and after.

Usage: bench/tokenize/cli_ab.py A_BINARY B_BINARY CORPUS.jsonl SPEC... [--runs 7] [--cpu 1]
                                [--flags "--add-special"]
"""
import argparse
import hashlib
import os
import shlex
import statistics
import subprocess
import time


def run(binary, spec, flags, corpus, cpu):
    command = ["taskset", "-c", str(cpu), binary, "tokenize", "--tokenizer", spec] + flags
    with open(corpus, "rb") as stdin:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        digest = hashlib.sha256()
        for block in iter(lambda: process.stdout.read(1 << 16), b""):
            digest.update(block)
        err = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{binary} failed on {spec}: {err.decode(errors='replace')}")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall * 1000, digest.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("corpus")
    parser.add_argument("specs", nargs="+")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cpu", type=int, default=1)
    parser.add_argument("--flags", default="")
    args = parser.parse_args()
    flags = shlex.split(args.flags)
    print(f"load average before: {os.getloadavg()}")
    print("| spec | A CPU ms | B CPU ms | B/A CPU | A wall ms | B wall ms | same bytes |")
    print("|---|---|---|---|---|---|---|")
    for spec in args.specs:
        samples = {"a": [], "b": []}
        digests = set()
        for round_index in range(args.runs):
            order = ("a", "b") if round_index % 2 == 0 else ("b", "a")
            for which in order:
                cpu, wall, digest = run(getattr(args, which), spec, flags, args.corpus, args.cpu)
                samples[which].append((cpu, wall))
                digests.add(digest)
        a_cpu = statistics.median(s[0] for s in samples["a"])
        b_cpu = statistics.median(s[0] for s in samples["b"])
        a_wall = statistics.median(s[1] for s in samples["a"])
        b_wall = statistics.median(s[1] for s in samples["b"])
        print(f"| {os.path.basename(spec)} | {a_cpu:.0f} | {b_cpu:.0f} | {b_cpu / a_cpu:.3f} | {a_wall:.0f} | "
              f"{b_wall:.0f} | {'yes' if len(digests) == 1 else 'NO'} |", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
