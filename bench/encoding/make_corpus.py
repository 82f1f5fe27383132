#!/usr/bin/python3
"""Builds the legacy-encoding accuracy corpus: real UTF-8 text, encoded into legacy charsets.

The text is the translations Debian installs under /usr/share/locale (every msgstr of every
.mo file of a language); each sample is encoded with Python's codecs into one legacy
encoding, and its UTF-8 twin is kept beside it. Three lengths per encoding: short (one
message, 12-80 characters: the case detectors get wrong), medium (~300 bytes) and long
(~3 KB). Samples that do not encode strictly, or have no non-ASCII character, are skipped.

Usage: make_corpus.py OUT_DIR [--per-length N] [--seed S]
Writes OUT_DIR/<codec>/<length>-<n>.bin and .utf8, and OUT_DIR/manifest.tsv with one line
per sample: relative path of the .bin, Python codec, language, length class.
The sampling is seeded, so the same Debian install gives the same corpus.
"""
import argparse
import gettext
import os
import random
import sys

# codec -> locale directories whose translations supply the text.
ENCODINGS = {
    # Japanese
    "shift_jis": ["ja"], "cp932": ["ja"], "euc_jp": ["ja"], "euc_jis_2004": ["ja"],
    "shift_jis_2004": ["ja"], "iso2022_jp": ["ja"],
    # Korean
    "euc_kr": ["ko"], "cp949": ["ko"], "johab": ["ko"], "iso2022_kr": ["ko"],
    # Chinese
    "gb2312": ["zh_CN"], "gbk": ["zh_CN"], "gb18030": ["zh_CN"], "hz": ["zh_CN"],
    "big5": ["zh_TW"], "cp950": ["zh_TW"], "big5hkscs": ["zh_HK", "zh_TW"],
    # Cyrillic
    "koi8_r": ["ru"], "cp1251": ["ru", "bg", "uk"], "cp866": ["ru"], "iso8859_5": ["ru"],
    "koi8_u": ["uk"],
    # Greek
    "cp737": ["el"], "cp1253": ["el"], "iso8859_7": ["el"],
    # Latin
    "cp1252": ["fr", "de", "es", "pt"], "iso8859_15": ["fr", "de"],
    "cp1250": ["pl", "cs", "hu", "sk"], "iso8859_2": ["pl", "cs", "hu"],
    "cp1254": ["tr"], "cp1257": ["lt"],
    # Others
    "cp1255": ["he"], "cp1256": ["ar"], "tis_620": ["th"],
}

LENGTHS = {"short": (12, 80), "medium": (250, 400), "long": (2500, 3500)}


def messages(lang):
    """Every translated message of `lang`, one per line of text, in a stable order."""
    out = []
    base = os.path.join("/usr/share/locale", lang, "LC_MESSAGES")
    if not os.path.isdir(base):
        return out
    for name in sorted(os.listdir(base)):
        if not name.endswith(".mo"):
            continue
        try:
            with open(os.path.join(base, name), "rb") as f:
                catalog = gettext.GNUTranslations(f)._catalog
        except Exception:
            continue
        for key in sorted(catalog, key=repr):
            if key == "" or (isinstance(key, str) and key == ""):
                continue
            text = catalog[key]
            for line in text.split("\n"):
                line = line.strip()
                if line and all(c >= " " or c == "\t" for c in line):
                    out.append(line)
    return sorted(set(out))


def encodable(text, codec):
    try:
        data = text.encode(codec)
    except UnicodeError:
        return None
    if data.decode(codec) != text:
        return None
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--per-length", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13,
                        help="another seed draws a held-out corpus from the same text")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cache = {}
    manifest = []
    for codec, langs in ENCODINGS.items():
        pool = []
        for lang in langs:
            if lang not in cache:
                cache[lang] = messages(lang)
            pool += [(lang, m) for m in cache[lang]]
        pool = [(l, m) for l, m in pool if any(ord(c) > 127 for c in m) and encodable(m, codec)]
        if not pool:
            print(f"{codec}: no text", file=sys.stderr)
            continue
        os.makedirs(os.path.join(args.out, codec), exist_ok=True)
        for length, (low, high) in LENGTHS.items():
            made = 0
            attempts = 0
            while made < args.per_length and attempts < args.per_length * 50:
                attempts += 1
                lang, first = pool[rng.randrange(len(pool))]
                if length == "short":
                    if not low <= len(first) <= high:
                        continue
                    text = first
                else:
                    lines = [first]
                    while len("\n".join(lines).encode("utf-8")) < low:
                        lines.append(pool[rng.randrange(len(pool))][1])
                    text = "\n".join(lines) + "\n"
                    if len(text.encode("utf-8")) > high * 2:
                        continue
                data = encodable(text, codec)
                if data is None:
                    continue
                stem = os.path.join(codec, f"{length}-{made:03d}")
                with open(os.path.join(args.out, stem + ".bin"), "wb") as f:
                    f.write(data)
                with open(os.path.join(args.out, stem + ".utf8"), "wb") as f:
                    f.write(text.encode("utf-8"))
                manifest.append(f"{stem}.bin\t{codec}\t{lang}\t{length}")
                made += 1
    with open(os.path.join(args.out, "manifest.tsv"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    print(f"{len(manifest)} samples in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
