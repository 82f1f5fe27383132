#!/usr/bin/env python3
"""Writes the tokenizer parity corpus: JSONL lines {"name": ..., "text": ...}.

Deterministic for a given machine: real multilingual text from the Debian man pages in
/usr/share/man/<lang>/ (and a little C from /usr/include), a sweep over the code points of
Unicode's assigned planes (so a character-class table that disagrees with the reference's
shows up), random strings over the character classes the pre-tokenizer patterns test, and
adversarial cases (long runs, emoji ZWJ sequences, combining marks, mixed scripts,
special-token strings, replaced lone surrogates).

Runs of one character are kept to 10-20 K characters here because the reference (tiktoken
compiled to WebAssembly) is quadratic on them; the 1 MB runs are in the unit tests and
benchmarks, where only our side runs.

Usage: make_parity_corpus.py OUTPUT.jsonl [--man-bytes N]
"""
import argparse
import glob
import gzip
import json
import os
import random
import re
import unicodedata

SEED = 20261125


def man_text(path):
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except OSError:
        return ""
    text = raw.decode("utf-8", errors="replace")
    # A rough roff strip: drop comments and requests, keep their arguments as text.
    lines = []
    for line in text.splitlines():
        if line.startswith('.\\"') or line.startswith("'\\\""):
            continue
        if line.startswith("."):
            line = re.sub(r"^\.[A-Za-z]+\s*", "", line)
        line = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\-", lambda m: "-" if m.group(0) == "\\-" else "", line)
        lines.append(line)
    return "\n".join(lines)


def man_documents(budget_per_lang):
    docs = []
    langs = sorted(d for d in os.listdir("/usr/share/man") if not d.startswith("man"))
    for lang in ["en"] + langs:
        pattern = "/usr/share/man/man[1-8]/*.gz" if lang == "en" else f"/usr/share/man/{lang}/man*/*.gz"
        files = sorted(glob.glob(pattern))
        random.Random(f"{SEED}-{lang}").shuffle(files)
        budget = budget_per_lang * (4 if lang == "en" else 1)
        used = 0
        for path in files:
            if used >= budget:
                break
            text = man_text(path)
            if len(text) < 200:
                continue
            text = text[:16384]
            docs.append((f"man/{lang}/{os.path.basename(path)}", text))
            used += len(text.encode("utf-8"))
    return docs


def code_documents(budget):
    docs = []
    used = 0
    for path in sorted(glob.glob("/usr/include/*.h")):
        if used >= budget:
            break
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()[:12000]
        except (OSError, UnicodeDecodeError):
            continue
        docs.append((f"code/{os.path.basename(path)}", text))
        used += len(text)
    return docs


def sweep_documents():
    """Every code point of planes 0-3 and 14 that UTF-8 can carry, in chunks of 512, once
    packed together and once between letters and spaces."""
    ranges = [(0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x323AF), (0xE0000, 0xE01EF)]
    cps = [cp for lo, hi in ranges for cp in range(lo, hi + 1)]
    docs = []
    for i in range(0, len(cps), 512):
        chunk = cps[i:i + 512]
        packed = "".join(chr(cp) for cp in chunk)
        spaced = " ".join("a" + chr(cp) + chr(cp) + "B" + chr(cp) + "1'" + chr(cp) for cp in chunk[::4])
        docs.append((f"sweep/{chunk[0]:06X}", packed))
        docs.append((f"sweep-spaced/{chunk[0]:06X}", spaced))
    return docs


# Characters grouped by the classes the cl100k/o200k/gpt2 patterns distinguish.
PALETTE = [
    " ", " ", " ", "  ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u3000", "\u2028", "\u0085", "\u001c",
    "a", "b", "z", "hello", "A", "Z", "WORLD", "Hello", "\u01c5",  # Lt
    "\u02b0", "\u3005", "\u0e46",  # Lm
    "\u4e2d", "\u0627", "\u05d0", "\u0915", "\uac00",  # Lo
    "\u0301", "\u0308", "\u093f", "\u20dd", "\u0e31",  # Mn, Mc, Me
    "0", "7", "12345", "\u0663", "\u00b2", "\u00bd", "\u2167",  # Nd, No, Nl
    "'", "'s", "'S", "'t", "'re", "'RE", "'ve", "'m", "'ll", "'LL", "'d", "'\u017f", "'x",
    ".", ",", "!", "?", "-", "--", "/", "//", "(", ")", "{", "}", "#", "@", "\"", "\u2019",
    "\U0001F642", "\U0001F469\u200d\U0001F469\u200d\U0001F467", "\U0001F1E9\U0001F1EA",
    "\U0001F44D\U0001F3FD", "\u200d", "\ufe0f", "\ufeff", "\u200f", "\ufffd", "\U0010FFFD",
    "<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>",
]


def random_documents(count):
    rng = random.Random(SEED)
    docs = []
    for i in range(count):
        length = rng.choice([1, 2, 3, 5, 8, 13, 40, 120])
        docs.append((f"random/{i}", "".join(rng.choice(PALETTE) for _ in range(length))))
    return docs


def adversarial_documents():
    rng = random.Random(SEED + 1)
    zalgo = "".join("z" + "".join(chr(0x300 + rng.randrange(0x70)) for _ in range(40)) for _ in range(200))
    letters = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(20000))
    b64 = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(20000))
    lone_surrogates = "text \ud800 more \udfff end".encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    cases = {
        "run_a": "a" * 20000,
        "run_A": "A" * 10000,
        "run_spaces": " " * 20000,
        "run_newlines": "\n" * 20000,
        "run_crlf": "\r\n" * 10000,
        "run_ws_mixed": " \t\n\r" * 5000,
        "run_digits": "7" * 20000,
        "run_arabic_digits": "\u0663" * 5000,
        "run_dashes": "-" * 20000,
        "run_slashes": "/" * 10000,
        "run_cjk": "\u4e2d" * 7000,
        "run_apostrophes": "'" * 10000,
        "run_nbsp": "\u00a0" * 10000,
        "spaces_then_word": " " * 999 + "x",
        "newlines_then_spaces": "\n" * 500 + " " * 500 + "x",
        "random_letters": letters,
        "base64_blob": b64,
        "zalgo": zalgo,
        "long_word_accents": "\u00e9\u00e0\u00fc\u00f6\u00df\u00e7" * 3000,
        "decomposed_accents": unicodedata.normalize("NFD", "\u00e9t\u00e9 \u00e0 l'h\u00f4pital " * 500),
        "emoji_zwj": ("\U0001F469\u200d\U0001F4BB \U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 "
                      "\U0001F3F3\ufe0f\u200d\U0001F308 \U0001F44B\U0001F3FF\U0001F1FA\U0001F1F8 ") * 300,
        "mixed_scripts": ("English \u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u4e2d\u6587 \u65e5\u672c\u8a9e "
                          "\ud55c\uad6d\uc5b4 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea "
                          "\u0939\u093f\u0928\u094d\u0926\u0940 \u0e44\u0e17\u0e22 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac ") * 200,
        "camel_case": "getHTTPResponseCode XMLHttpRequest iOSDevice McDonald'S DON'T I'M " * 300,
        "special_token_text": "<|endoftext|> <|fim_prefix|>x<|fim_middle|>y<|fim_suffix|> <|endofprompt|>" * 100,
        "odd_unicode": "\ufeff\u200e\u200f\u202e\ufdd0\uffff\U0001FFFE\U000E0001\U000F0000\u0378\u0000\u001f" * 200,
        "lone_surrogates_replaced": lone_surrogates,
        "numbers_mixed": "3.14159 1,000,000 0x1F 1e-9 \u0661\u0662\u0663 \u2160\u2161 \u00bd\u00be 12345678901234567890 " * 200,
        "contractions": "it's IT'S they'RE we've I'm you'll he'd 'ſ 'S 'Ll x's 's" * 300,
    }
    return [(f"adversarial/{name}", text) for name, text in cases.items()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("--man-bytes", type=int, default=40000, help="man page bytes per language")
    args = parser.parse_args()
    docs = (man_documents(args.man_bytes) + code_documents(100000) + sweep_documents() +
            random_documents(3000) + adversarial_documents())
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for name, text in docs:
            out.write(json.dumps({"name": name, "text": text}, ensure_ascii=False) + "\n")
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
