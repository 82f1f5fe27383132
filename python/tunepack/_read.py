"""tunepack.read: the examples of a dataset file or an export folder, as dicts."""
import json
import os

from tunepack import _native


def read(path, *, format=None, split=None):
    """Iterates the examples of a dataset file (any format tunepack reads: jsonl, openai,
    sharegpt, alpaca, chatml, text, markdown...) or of an export's output folder (its data
    files, in manifest order), one dict at a time with memory that stays flat.

    Each example is {"text": ...} or {"messages": [...], "tools": [...]} (roles and tool
    calls in OpenAI's shape), the record's other top-level fields as they were, "metadata"
    when there is some, and where it came from: "source", "line", and for a folder "split".
    format: read the file as this format instead of detecting it. split: in a folder, only
    this split's files. A record that is not valid in its format raises InvalidArgumentError
    "<file>:<line>: ..."; a missing file raises NotFoundError, both when iterating starts.
    """
    reader = _native.DatasetReader(os.fspath(path), format, split)

    def examples():
        for batch in reader:
            for text in batch:
                yield json.loads(text)

    return examples()
