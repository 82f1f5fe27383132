#!/usr/bin/env python3
"""Deterministic synthetic corpora for the whole-run benchmarks.

  gen_corpus.py sharegpt MB OUT.jsonl   ShareGPT conversations, about MB megabytes
  gen_corpus.py markdown MB OUT_DIR     Markdown documents of 8-40 KB, about MB megabytes
"""
import os
import random
import sys

WORDS = ("queue task worker retry backoff visibility timeout claim acknowledge payload "
         "durable batch schedule metrics alert operator upgrade migrate index latency "
         "throughput shard replica partition snapshot journal commit rollback cursor "
         "élan naïve café résumé 東京 데이터 данные").split()


def sentence(rng, n_min=6, n_max=24):
    words = [rng.choice(WORDS) for _ in range(rng.randint(n_min, n_max))]
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", "!"])


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def sharegpt(mb, path):
    rng = random.Random(1)
    limit = mb * 1_000_000
    written = 0
    import json
    with open(path, "w", encoding="utf-8") as out:
        while True:  # at least one record, so size 0 gives a one-record file
            turns = []
            if rng.random() < 0.3:
                turns.append({"from": "system", "value": sentence(rng)})
            for _ in range(rng.randint(1, 4)):
                turns.append({"from": "human", "value": paragraph(rng)})
                turns.append({"from": "gpt", "value": paragraph(rng) + "\n\n" + paragraph(rng)})
            line = json.dumps({"conversations": turns}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            if written >= limit:
                break


def markdown(mb, folder):
    rng = random.Random(2)
    os.makedirs(folder, exist_ok=True)
    limit = mb * 1_000_000
    written = 0
    index = 0
    while written < limit:
        parts = [f"# {sentence(rng, 2, 5)}\n"]
        target = rng.randint(8_000, 40_000)
        size = 0
        while size < target:
            kind = rng.random()
            if kind < 0.15:
                block = f"## {sentence(rng, 2, 6)}\n"
            elif kind < 0.3:
                block = "\n".join(f"- {sentence(rng, 3, 10)}" for _ in range(rng.randint(2, 6))) + "\n"
            elif kind < 0.38:
                block = "```python\n" + "\n".join(f"x_{i} = {i} * {i}" for i in range(rng.randint(2, 9))) + "\n```\n"
            else:
                block = paragraph(rng) + "\n"
            parts.append(block)
            size += len(block)
        text = "\n".join(parts)
        sub = os.path.join(folder, f"part{index // 500:03d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"doc{index:06d}.md"), "w", encoding="utf-8") as out:
            out.write(text)
        written += len(text.encode("utf-8"))
        index += 1


if __name__ == "__main__":
    kind, mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"sharegpt": sharegpt, "markdown": markdown}[kind](mb, out)
