"""tunepack.validate: `tunepack validate` for one dataset file, problems as data."""
import os

from tunepack import _native


def validate(path, *, format=None, tokenizer=None, max_tokens=0, model=None, target=None):
    """Checks a dataset file before upload or training, as `tunepack validate` does:
    structure for every format, OpenAI's chat fine-tuning checks for openai, and an optional
    token limit (max_tokens, counted with tokenizer). model: for chat-template output, the
    model folder whose template rendered it (a text ending with its generation prompt is a
    warning). target: check against a service's or trainer's rules and limits
    (`tunepack targets` lists them), as `tunepack validate --target` does.

    Returns {"path", "format" (what the file was checked as), "records", "errors",
    "warnings", "problems": [{"line", "severity" ("error" or "warning"), "message"}]}: the
    records' problems in line order, then the file's own (reported at line 1). A file that cannot be checked at all raises (NotFoundError,
    InvalidArgumentError when no format fits); problems in records never raise.
    """
    return _native.validate(os.fspath(path), format, tokenizer, max_tokens, model, target)
