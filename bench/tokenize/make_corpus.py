#!/usr/bin/env python3
"""Writes the tokenizer benchmark corpus: JSONL lines {"category": ..., "text": ...}, each a
document of 4-64 KB of real text found on a Debian machine, deterministically.

Categories: en (man1-8), latin (de fr es it nl pl pt pt_BR sv da cs fi hr hu id ro sl tr man
pages), cyrillic (ru uk sr), cjk (ja zh_CN zh_TW ko), code (C headers, the Python standard
library), markdown (*.md and *.md.gz under /usr/share/doc). Texts of a category
are concatenated in a fixed order and cut into documents whose sizes are drawn from a seeded
generator.

Usage: make_corpus.py OUTPUT.jsonl [--mb-per-category N]
"""
import argparse
import glob
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "tokenizers"))
from make_parity_corpus import man_text  # noqa: E402  (the same rough roff strip)

SEED = 20261130
LANGS = {
    "en": ["man1", "man2", "man3", "man4", "man5", "man6", "man7", "man8"],
    "latin": ["de", "fr", "es", "it", "nl", "pl", "pt", "pt_BR", "sv", "da", "cs", "fi", "hr", "hu",
              "id", "ro", "sl", "tr"],
    "cyrillic": ["ru", "uk", "sr"],
    "cjk": ["ja", "zh_CN", "zh_TW", "ko"],
}


def man_files(category):
    files = []
    for lang in LANGS[category]:
        pattern = f"/usr/share/man/{lang}/*.gz" if category == "en" else f"/usr/share/man/{lang}/man*/*.gz"
        files += sorted(glob.glob(pattern))
    random.Random(f"{SEED}-{category}").shuffle(files)
    return files


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return ""


def texts(category):
    if category in LANGS:
        for path in man_files(category):
            yield man_text(path)
    elif category == "code":
        paths = sorted(glob.glob("/usr/include/*.h")) + sorted(glob.glob("/usr/lib/python3*/*.py"))
        random.Random(f"{SEED}-code").shuffle(paths)
        for path in paths:
            yield read_text(path)
    elif category == "markdown":
        paths = sorted(glob.glob("/usr/share/doc/**/*.md", recursive=True) +
                       glob.glob("/usr/share/doc/**/*.md.gz", recursive=True))
        for path in paths:
            yield man_text(path) if path.endswith(".gz") else read_text(path)


def documents(category, budget, rng):
    buffer = ""
    total = 0
    size = rng.randint(4096, 65536)
    for text in texts(category):
        if not text.strip():
            continue
        buffer += text + "\n"
        while len(buffer.encode("utf-8")) >= size:
            # Cut at a character boundary near `size` bytes.
            cut = len(buffer.encode("utf-8")[:size].decode("utf-8", errors="ignore"))
            doc, buffer = buffer[:cut], buffer[cut:]
            yield doc
            total += len(doc.encode("utf-8"))
            if total >= budget:
                return
            size = rng.randint(4096, 65536)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--mb-per-category", type=float, default=1.0)
    args = parser.parse_args()
    budget = int(args.mb_per_category * 1e6)
    with open(args.output, "w", encoding="utf-8") as out:
        for category in ["en", "latin", "cyrillic", "cjk", "code", "markdown"]:
            rng = random.Random(f"{SEED}-{category}-sizes")
            for doc in documents(category, budget, rng):
                out.write(json.dumps({"category": category, "text": doc}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
