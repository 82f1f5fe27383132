#!/usr/bin/python3
"""Single-pass throughput of SentencePiece itself (Debian's python3-sentencepiece, the C++
library behind a thin binding) on a corpus, in the shape of bench/tokenize/peer_common.js's
singlePass: load timed apart, the same ~2 KB warm-up text, then one encode call per
document (or, with count, one call on the documents joined). Prints one JSON line.

Usage: /usr/bin/python3 peer_spm.py MODEL CORPUS.jsonl --single-pass [encode|count]
"""
import json
import sys
import time


def warm_up_text():
    """The warm-up text of peer_common.js and tokenize_bench (same generator)."""
    text = []
    state = 20261206
    def step():
        nonlocal state
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        return state
    for word in range(300):
        length = 2 + ((step() >> 24) % 7)
        text.append("".join(chr(97 + ((step() >> 24) % 26)) for _ in range(length)))
        text.append("\n" if word % 17 == 16 else " ")
    return "".join(text)


def cpu_seconds():
    return time.process_time()


def main():
    model, corpus, flag = sys.argv[1:4]
    if flag != "--single-pass":
        sys.exit("usage: peer_spm.py MODEL CORPUS.jsonl --single-pass [encode|count]")
    whole = len(sys.argv) > 4 and sys.argv[4] == "count"
    with open(corpus, encoding="utf-8") as f:
        documents = [json.loads(line)["text"] for line in f if line.strip()]
    texts = ["".join(documents)] if whole else documents
    size = sum(len(t.encode("utf-8")) for t in texts)
    cpu, wall = cpu_seconds(), time.perf_counter()
    import sentencepiece
    processor = sentencepiece.SentencePieceProcessor(model_file=model)
    load_cpu, load_wall = cpu_seconds() - cpu, time.perf_counter() - wall
    processor.encode(warm_up_text())
    tokens = 0
    cpu, wall = cpu_seconds(), time.perf_counter()
    for text in texts:
        tokens += len(processor.encode(text))
    print(json.dumps({"documents": len(texts), "bytes": size, "tokens": tokens,
                      "load_cpu_seconds": load_cpu, "load_wall_seconds": load_wall,
                      "cpu_seconds": cpu_seconds() - cpu, "wall_seconds": time.perf_counter() - wall}))


if __name__ == "__main__":
    main()
