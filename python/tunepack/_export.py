"""tunepack.export and tunepack.convert: the command line's export and convert, in process.

Keyword arguments are the declared options under their JSON names (max_tokens for
--max-tokens): the names, types and allowed values are those `tunepack options
--json-schema` prints, checked by the library, so an unknown or misspelt option is an
InvalidArgumentError naming it.
"""
import json
import keyword
import os
import warnings

from tunepack import _native


class ExportWarning(UserWarning):
    """Something an export wants the user to know (its warning events), when no on_event is given."""


ExportWarning.__module__ = "tunepack"


def _json_value(value):
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return value


def _option_name(keyword_name):
    """An option whose JSON name is a Python keyword is passed with a trailing underscore
    (from_="sharegpt" for the option "from"), as PEP 8 suggests."""
    if keyword_name.endswith("_") and keyword.iskeyword(keyword_name[:-1]):
        return keyword_name[:-1]
    return keyword_name


def python_name(option_name):
    """The keyword argument of the option `option_name` (see _option_name)."""
    return option_name + "_" if keyword.iskeyword(option_name) else option_name


def _run(command, inputs, output, on_event, options):
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    body = {"inputs": [os.fspath(path) for path in inputs], "output": os.fspath(output)}
    for name, value in options.items():
        body[_option_name(name)] = _json_value(value)

    def deliver(text):
        event = json.loads(text)
        if on_event is not None:
            on_event(event)
        elif event["event"] == "warning":
            warnings.warn(event["message"], ExportWarning, stacklevel=4)

    _native.run_export(json.dumps(body), command, deliver, on_event is not None)
    manifest = os.path.join(body["output"], "manifest.json")
    if not os.path.exists(manifest):
        return None
    with open(manifest, encoding="utf-8") as f:
        return json.load(f)


def export(inputs, output, *, on_event=None, **options):
    return _run("export", inputs, output, on_event, options)


def convert(inputs, output, *, on_event=None, **options):
    return _run("convert", inputs, output, on_event, options)


_COMMON_DOC = """

inputs: a path (file, folder, "-" for standard input) or a list of them. output: the output
folder. on_event: called with each event of the run as a dict, {"event": "progress", ...}
(the objects `--progress json` prints), on the calling thread; without it, warning events
become ExportWarning warnings. Returns the manifest (manifest.json) as a dict.

The run releases the GIL and uses tunepack's own threads (option jobs). Ctrl-C
(KeyboardInterrupt), or an exception raised by on_event, stops it, leaving the output folder
resumable (resume=True continues it), and is raised once it has stopped. Errors raise
tunepack.Error subclasses with the command line's messages.

Options (keyword arguments; `tunepack options --json-schema` gives their schema):
"""


def _options_doc(command):
    lines = []
    for option in _native.declared_options(command):
        if option["name"] in ("inputs", "output"):
            continue
        kind = option["type"]
        if option["choices"]:
            kind = " | ".join(repr(choice) for choice in option["choices"] if choice)
        default = f", default {option['default']}" if option["default"] not in ("", "false", "[]", '""') else ""
        lines.append(f"  {python_name(option['name'])} ({kind}{default}): {option['doc']}")
    return "\n".join(lines)


export.__doc__ = ("Exports documents and records into a fine-tuning dataset, as `tunepack export` does."
                  + _COMMON_DOC + _options_doc("export"))
convert.__doc__ = ("Converts datasets from one format to another, as `tunepack convert` does."
                   + _COMMON_DOC + _options_doc("convert"))
