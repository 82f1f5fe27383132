#!/usr/bin/env python3
"""The everyday baseline for `tunepack export --format chat-template --model DIR`: a script
that renders each conversation of a JSONL file with the model's chat template, with Python
Jinja2 set up as transformers' apply_chat_template sets it up, and writes {"text": ...} lines.

  render_jsonl.py MODEL_DIR IN.jsonl OUT.jsonl

The template is compiled once; each line is json.loads'ed, rendered and json.dumps'ed.
"""
import json
import sys
from datetime import datetime

from jinja2.exceptions import TemplateError
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers' own tojson: no HTML escaping, non-ASCII kept
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


def token_text(value):
    return value.get("content") if isinstance(value, dict) else value


def main():
    model, src_path, dst_path = sys.argv[1:4]
    with open(model + "/tokenizer_config.json", encoding="utf-8") as f:
        config = json.load(f)
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    template = env.from_string(config["chat_template"])
    # transformers passes tokenizer.special_tokens_map as keyword arguments
    special = {k: token_text(config[k]) for k in ("bos_token", "eos_token", "unk_token", "sep_token",
                                                  "pad_token", "cls_token", "mask_token")
               if config.get(k) is not None}
    if isinstance(config.get("additional_special_tokens"), list):
        special["additional_special_tokens"] = [token_text(t) for t in config["additional_special_tokens"]]
    with open(src_path, encoding="utf-8") as src, open(dst_path, "w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            text = template.render(messages=record["messages"], tools=None, documents=None,
                                   add_generation_prompt=False, **special)
            dst.write(json.dumps({"text": text}, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
