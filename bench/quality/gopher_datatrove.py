#!/usr/bin/python3
"""Agreement of tunepack's Gopher rules with datatrove's, on a corpus built from this machine.

datatrove splits English text into words with spaCy's blank English tokenizer, which Debian
does not ship; its rules' arithmetic is plain Python. This script runs datatrove's own
GopherRepetitionFilter and GopherQualityFilter (default parameters, repetition first, as
FineWeb runs them) from a datatrove checkout, on the words tunepack's splitter gives for each
document, and compares the keep/drop decision with tunepack's (build/bench/gopher_decisions_bench).
What it measures is therefore every rule's arithmetic against the reference's own code; the
word splitter itself is checked by GopherWordsTest against spaCy's tokenizer tests.

The corpus: prose (licence texts, package READMEs), Markdown, code (Python, C headers),
tables, bullet lists (changelogs), text in 16 languages (GLib/GTK translation catalogues),
and generated repetition spam around each repetition threshold.

Usage: bench/quality/gopher_datatrove.py --datatrove DIR [--binary build/bench/gopher_decisions_bench]
DIR is a checkout of github.com/huggingface/datatrove (src/datatrove/...). Needs Debian's
python3-numpy and python3-regex (datatrove's imports).
"""
import argparse
import collections
import gzip
import importlib.util
import random
import re
import subprocess
import sys
import types
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# The corpus


def read_text(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if b"\0" in data:
        return None
    return data.decode("utf-8", errors="replace")


def chunks(text, rng, low=40, high=1500):
    """Cuts a text at blank lines into pieces of random size (in words)."""
    paragraphs = re.split(r"\n\s*\n", text)
    piece, words, target = [], 0, rng.randint(low, high)
    for paragraph in paragraphs:
        piece.append(paragraph)
        words += len(paragraph.split())
        if words >= target:
            yield "\n\n".join(piece)
            piece, words, target = [], 0, rng.randint(low, high)
    if piece and words >= low // 2:
        yield "\n\n".join(piece)


def files(patterns, rng, limit):
    found = sorted({p for pattern in patterns for p in Path("/").glob(pattern) if p.is_file()})
    rng.shuffle(found)
    return found[:limit]


def sample(pieces, rng, count):
    pieces = list(pieces)
    rng.shuffle(pieces)
    return pieces[:count]


def prose(rng):
    out = []
    for path in files(["usr/share/common-licenses/*"], rng, 40):
        text = read_text(path)
        if text:
            out += list(chunks(text, rng))
    for path in files(["usr/share/doc/*/README", "usr/share/doc/*/README.gz",
                       "usr/share/doc/*/README.Debian", "usr/share/doc/*/copyright"], rng, 120):
        text = read_text(path)
        if text:
            out += list(chunks(text, rng))[:2]
    return sample(out, rng, 160)


def markdown(rng):
    out = []
    for path in files(["usr/share/doc/*/*.md", "usr/share/doc/*/*.md.gz",
                       "usr/share/doc/*/*/*.md"], rng, 80):
        text = read_text(path)
        if text:
            out += list(chunks(text, rng))[:2]
    return sample(out, rng, 80)


def code(rng):
    out = []
    for path in files(["usr/lib/python3/dist-packages/*/*.py", "usr/include/*.h",
                       "usr/include/*/*.h"], rng, 200):
        text = read_text(path)
        if text and len(text.split()) >= 30:
            lines = text.splitlines()
            start = rng.randrange(max(1, len(lines) - 40))
            out.append("\n".join(lines[start:start + rng.randint(40, 300)]))
    return sample(out, rng, 120)


def tables(rng):
    out = []
    for path in ["/etc/services", "/etc/protocols", "/usr/share/i18n/SUPPORTED",
                 "/etc/mime.types", "/usr/share/misc/usb.ids", "/etc/ethertypes"]:
        p = Path(path)
        if not p.is_file():
            continue
        lines = [l for l in read_text(p).splitlines() if l.strip()]
        for _ in range(8):
            start = rng.randrange(max(1, len(lines) - 60))
            rows = lines[start:start + rng.randint(20, 120)]
            if rng.random() < 0.5:  # the same rows as a Markdown table
                rows = ["| " + " | ".join(r.split()) + " |" for r in rows]
                rows.insert(1, "|---|---|")
            out.append("\n".join(rows))
    return sample(out, rng, 60)


def bullets(rng):
    out = []
    for path in files(["usr/share/doc/*/changelog.Debian.gz"], rng, 120):
        text = read_text(path)
        if text:
            entries = text.split("\n\n")
            start = rng.randrange(max(1, len(entries) - 10))
            out.append("\n\n".join(entries[start:start + rng.randint(2, 12)]))
    licence = read_text(Path("/usr/share/common-licenses/GPL-3")) or ""
    sentences = [s.strip() for s in re.split(r"(?<=[.;])\s+", licence) if len(s.split()) > 4]
    for _ in range(40):
        marker = rng.choice(["- ", "• ", "* ", "  - ", "1. "])
        items = [marker + " ".join(rng.choice(sentences).split()) for _ in range(rng.randint(5, 40))]
        if rng.random() < 0.3:
            items.insert(0, "Changes in this release:")
        out.append("\n".join(items))
    return sample(out, rng, 100)


def mo_messages(path):
    data = path.read_bytes()
    if len(data) < 20 or data[:4] != b"\xde\x12\x04\x95":
        return []
    u32 = lambda at: int.from_bytes(data[at:at + 4], "little")
    count, originals, translations = u32(8), u32(12), u32(16)
    out = []
    for i in range(count):
        length, offset = u32(translations + 8 * i), u32(translations + 8 * i + 4)
        if u32(originals + 8 * i) == 0:
            continue
        text = data[offset:offset + length].split(b"\0")[0].decode("utf-8", errors="replace")
        if text.count(" ") >= 3 and not re.search(r"[<>{}]", text):
            out.append(text.replace("_", ""))
    return out


def languages(rng):
    out = []
    for locale in ["de", "fr", "es", "it", "pt_BR", "nl", "pl", "cs", "ru", "uk", "el", "tr",
                   "fi", "hu", "sv", "vi", "ja", "zh_CN", "ko", "ar", "he", "hi"]:
        messages = []
        for catalogue in ["glib20.mo", "gtk30.mo"]:
            path = Path("/usr/share/locale") / locale / "LC_MESSAGES" / catalogue
            if path.is_file():
                messages += mo_messages(path)
        for _ in range(6):
            if not messages:
                break
            start = rng.randrange(len(messages))
            picked = messages[start:start + rng.randint(10, 80)]
            joiner = rng.choice([" ", "\n", "\n\n"])
            out.append(joiner.join(picked))
    return out


def spam(rng):
    """Repetition around each repetition threshold, and the quality rules' edge cases."""
    licence = read_text(Path("/usr/share/common-licenses/Apache-2.0")) or ""
    sentences = [s.strip() for s in re.split(r"(?<=[.;])\s+", licence) if len(s.split()) > 5]
    out = []
    for _ in range(160):
        kind = rng.choice(["lines", "paragraphs", "ngram", "phrase", "short", "hashes", "ellipsis",
                           "stop words"])
        base = [" ".join(rng.choice(sentences).split()) for _ in range(rng.randint(8, 40))]
        if kind == "lines":
            lines = base + [rng.choice(base) for _ in range(rng.randint(0, len(base)))]
            rng.shuffle(lines)
            out.append("\n".join(lines))
        elif kind == "paragraphs":
            paragraphs = [" ".join(base[i:i + 3]) for i in range(0, len(base), 3)]
            paragraphs += [rng.choice(paragraphs) for _ in range(rng.randint(0, len(paragraphs)))]
            out.append("\n\n".join(paragraphs))
        elif kind == "ngram":
            phrase = " ".join(rng.choice(sentences).split()[:rng.randint(5, 12)])
            text = " ".join(base)
            for _ in range(rng.randint(1, 12)):
                at = rng.randrange(len(text))
                at = text.find(" ", at) + 1 or len(text)
                text = text[:at] + phrase + " " + text[at:]
            out.append(text)
        elif kind == "phrase":
            phrase = rng.choice(["buy now", "click here", "free shipping today", "best price"])
            words = " ".join(base).split()
            for _ in range(rng.randint(1, len(words) // 3)):
                words.insert(rng.randrange(len(words)), phrase)
            out.append(" ".join(words))
        elif kind == "short":
            out.append(" ".join(" ".join(base).split()[:rng.randint(35, 65)]))
        elif kind == "stop words":  # a few distinct stop words, each possibly many times
            stop = ["the", "be", "to", "of", "and", "that", "have", "with"]
            words = [w for w in " ".join(base).split() if w.lower() not in stop][:rng.randint(50, 200)]
            for word in rng.sample(stop, rng.randint(0, 3)):
                for _ in range(rng.randint(1, 6)):
                    words.insert(rng.randrange(len(words)), rng.choice([word, word.title()]))
            out.append(" ".join(words))
        elif kind == "hashes":
            words = " ".join(base).split()
            for _ in range(rng.randint(1, len(words) // 6)):
                words.insert(rng.randrange(len(words)), "#" + rng.choice(words))
            out.append(" ".join(words))
        else:
            lines = [l + ("..." if rng.random() < rng.random() else "") for l in base]
            out.append("\n".join(lines))
    return out


def build_corpus(seed):
    rng = random.Random(seed)
    corpus = []
    for name, make in [("prose", prose), ("markdown", markdown), ("code", code),
                       ("tables", tables), ("bullets", bullets), ("languages", languages),
                       ("spam", spam)]:
        for text in make(rng):
            text = text.encode("utf-8", errors="replace").decode("utf-8")
            if text.strip():
                corpus.append((name, text))
    return corpus


# ---------------------------------------------------------------------------------------------
# datatrove, loaded from a checkout with only what its Gopher filters import


def load_datatrove(root, words_of):
    src = Path(root) / "src" / "datatrove"
    if not (src / "pipeline" / "filters" / "gopher_quality_filter.py").is_file():
        sys.exit(f"{root}: not a datatrove checkout (no src/datatrove/pipeline/filters/...)")

    def package(name):
        module = types.ModuleType(name)
        module.__path__ = []
        sys.modules[name] = module

    def from_file(name, path):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    for name in ["datatrove", "datatrove.utils", "datatrove.pipeline",
                 "datatrove.pipeline.filters", "datatrove.pipeline.writers"]:
        package(name)
    from_file("datatrove.data", src / "data.py")
    from_file("datatrove.utils.typeshelper", src / "utils" / "typeshelper.py")

    # The word splitter: tunepack's words for the document (spaCy is not in Debian).
    class Words:
        def word_tokenize(self, text):
            return words_of[text]

    tokenizers = types.ModuleType("datatrove.utils.word_tokenizers")
    tokenizers.load_word_tokenizer = lambda language: Words()
    sys.modules[tokenizers.__name__] = tokenizers
    from_file("datatrove.utils.text", src / "utils" / "text.py")

    writers = types.ModuleType("datatrove.pipeline.writers.disk_base")
    writers.DiskWriter = object
    sys.modules[writers.__name__] = writers

    class BaseFilter:  # the pipeline plumbing; filter() is all this script calls
        def __init__(self, exclusion_writer=None, batch_size=1):
            pass

    base = types.ModuleType("datatrove.pipeline.filters.base_filter")
    base.BaseFilter = BaseFilter
    sys.modules[base.__name__] = base
    quality = from_file("datatrove.pipeline.filters.gopher_quality_filter",
                        src / "pipeline" / "filters" / "gopher_quality_filter.py")
    repetition = from_file("datatrove.pipeline.filters.gopher_repetition_filter",
                           src / "pipeline" / "filters" / "gopher_repetition_filter.py")
    data = sys.modules["datatrove.data"]
    return data.Document, repetition.GopherRepetitionFilter(), quality.GopherQualityFilter()


def tunepack_decisions(binary, texts):
    payload = b"".join(b"%d\n%s" % (len(t.encode()), t.encode()) for t in texts)
    output = subprocess.run([binary], input=payload, stdout=subprocess.PIPE, check=True).stdout
    decisions, at = [], 0
    for _ in texts:
        end = output.index(b"\n", at)
        keep, rule, count = output[at:end].split(b" ")
        at = end + 1
        words = []
        for _ in range(int(count)):
            end = output.index(b"\n", at)
            length = int(output[at:end])
            words.append(output[end + 1:end + 1 + length].decode())
            at = end + 1 + length
        decisions.append((keep == b"1", rule.decode(), words))
    return decisions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datatrove", required=True, help="a datatrove checkout")
    parser.add_argument("--binary", default="build/bench/gopher_decisions_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="disagreements to print")
    args = parser.parse_args()

    corpus = build_corpus(args.seed)
    texts = [text for _, text in corpus]
    ours = tunepack_decisions(args.binary, texts)
    words_of = {text: words for text, (_, _, words) in zip(texts, ours)}
    Document, repetition, quality = load_datatrove(args.datatrove, words_of)

    agree = collections.Counter()
    total = collections.Counter()
    differences = collections.Counter()
    shown = 0
    for index, ((kind, text), (keep, rule, _)) in enumerate(zip(corpus, ours)):
        document = Document(text=text, id=str(index))
        reference_keep, reason = True, "-"
        for step in (repetition, quality):
            result = step.filter(document)
            if result is not True:
                reference_keep, reason = False, result[1] if isinstance(result, tuple) else "?"
                break
        total[kind] += 1
        if keep == reference_keep:
            agree[kind] += 1
        else:
            differences[(rule, reason)] += 1
            if shown < args.show:
                shown += 1
                print(f"-- {kind} #{index}: tunepack {'keeps' if keep else 'drops (' + rule + ')'}, "
                      f"datatrove {'keeps' if reference_keep else 'drops (' + reason + ')'}")
                print("   " + text[:300].replace("\n", "\\n"))
    kept = sum(1 for keep, _, _ in ours if keep)
    print(f"{len(corpus)} documents, tunepack keeps {kept}")
    print("| kind | documents | same decision |")
    print("|---|---:|---:|")
    for kind in total:
        print(f"| {kind} | {total[kind]} | {agree[kind] / total[kind]:.1%} |")
    n, same = sum(total.values()), sum(agree.values())
    print(f"| all | {n} | **{same / n:.1%}** ({n - same} differ) |")
    for (rule, reason), count in differences.most_common():
        print(f"  tunepack {rule} / datatrove {reason}: {count}")


if __name__ == "__main__":
    main()
