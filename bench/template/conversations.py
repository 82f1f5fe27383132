#!/usr/bin/env python3
"""Deterministic chat conversations for the chat-template export benchmark.

  conversations.py N OUT.jsonl

Writes N records {"messages": [...]}: a system message, then three user/assistant turns of
varied lengths (template_bench.cc builds its conversations the same way). Some answers hold
a paragraph break, a quoted word or non-ASCII words, so the JSON reading and writing meet
escapes and multi-byte text as real conversations have them.
"""
import json
import sys

WORDS = ("data", "model", "token", "prime", "river", "garden", "engine", "cloud",
         "matrix", "vector", "kernel", "python", "answer", "reason", "fine")
EXTRA = ("café", "naïve", "東京", "данные", '"quoted"', "tab\there")


def sentence(seed, words):
    return " ".join(WORDS[(seed * 7 + w * 3) % 15] for w in range(words)) + "."


def answer(i, turn):
    text = sentence(i * 3 + turn, 20 + (i * turn) % 60)
    if (i + turn) % 3 == 0:
        text += "\n\n" + sentence(i + 5 * turn, 10 + i % 13)
    if (i + turn) % 4 == 0:
        text += " " + EXTRA[(i + turn) % len(EXTRA)] + "."
    return text


def conversation(i):
    messages = [{"role": "system", "content": "You are a helpful assistant."}]
    for turn in range(3):
        messages.append({"role": "user", "content": sentence(i + turn, 8 + (i + turn) % 20)})
        messages.append({"role": "assistant", "content": answer(i, turn)})
    return {"messages": messages}


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps(conversation(i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
