#!/usr/bin/env python3
"""The everyday baseline for `tunepack export --format chat-template --model DIR`: a script
that renders each conversation of a JSONL file with the model's chat template, with Python
Jinja2 set up as transformers' apply_chat_template sets it up, and writes {"text": ...} lines.

  render_jsonl.py MODEL_DIR IN.jsonl OUT.jsonl

The template is compiled once; each line is json.loads'ed, rendered and json.dumps'ed.
"""
import json
import os
import sys

# The environment the template parity tests take as the reference: Jinja2 as transformers
# sets it up for chat templates.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/parity/template"))
from render_jinja2 import chat_environment  # noqa: E402


def token_text(value):
    return value.get("content") if isinstance(value, dict) else value


def main():
    model, src_path, dst_path = sys.argv[1:4]
    with open(model + "/tokenizer_config.json", encoding="utf-8") as f:
        config = json.load(f)
    template = chat_environment().from_string(config["chat_template"])
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
