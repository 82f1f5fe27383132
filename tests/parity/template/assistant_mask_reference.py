#!/usr/bin/python3
"""Reference assistant masks for chat templates without {% generation %} blocks, computed
the way trainers do it: for each assistant turn i, the tokens of messages[:i+1] rendered
for training past those of messages[:i] rendered with the generation prompt. Python Jinja2
(Debian's python3-jinja2, set up as transformers sets it up: render_jinja2.py) renders, and
Hugging Face tokenizers (npm `tokenizers`, through hf_reference.js) gives the ids.

Usage: assistant_mask_reference.py MODEL_DIR CONVERSATIONS.jsonl DANGLING_JSON > EXPECTED.jsonl
CONVERSATIONS.jsonl holds OpenAI-shape records (tool-call arguments as JSON strings, as
tunepack reads them). DANGLING_JSON is a JSON string: the generation prompt the template
appends after a last assistant turn even for training ("" for none), cut from the
rendering of messages[:i+1] so that the turn ends where the next message begins.

Each output line is {"ok": true, "text", "input_ids", "assistant_masks"}, or {"ok": false,
"reason": "invalid_example" | "lossy_conversion" | "unstable_template_prefix", "error"}:
- the template raising (on the whole conversation or a prefix) is invalid_example;
- a rendering that lost a tool call or schema is lossy_conversion (tunepack refuses it);
- a prefix that is not the start of the whole rendering, as text or as ids, is
  unstable_template_prefix.
Mask rule for the end of a turn: what the turn adds after its last special token, when that
is only white space (the separator between turns), is not the assistant's (mask 0).
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render_jinja2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HF_REFERENCE = os.path.join(HERE, "..", "tokenize", "hf_reference.js")
SPECIAL_NAMES = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]


class Unstable(Exception):
    pass


def template_context(config):
    context = {}
    for name in SPECIAL_NAMES:
        token = config.get(name)
        if isinstance(token, str):
            context[name] = token
        elif isinstance(token, dict) and "content" in token:
            context[name] = token["content"]
    return context


def template_messages(record):
    messages = json.loads(json.dumps(record["messages"]))
    for message in messages:
        if "tool_calls" not in message:
            continue
        if message.get("content") is None:
            message["content"] = ""
        for call in message["tool_calls"]:
            call["function"]["arguments"] = json.loads(call["function"]["arguments"])
    return messages


def lost_tools(record, text):
    """tunepack refuses a rendering that lost a tool call or a tool schema (the template
    does not read them): returns what was lost, or ""."""
    for message in record["messages"]:
        for call in message.get("tool_calls") or []:
            if call["function"]["name"] not in text:
                return "did not render the tool call"
    for tool in record.get("tools") or []:
        if tool["function"]["name"] not in text:
            return "did not render the tool schema"
    return ""


def encode_all(tokenizer_path, texts):
    """Returns the HF tokenizers ids of each text (special tokens matched, none added)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "texts.jsonl")
        with open(corpus, "w", encoding="utf-8") as f:
            for text in texts:
                f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        out = os.path.join(tmp, "texts.ids")
        subprocess.run(["node", HF_REFERENCE, tokenizer_path, corpus, out, "no"], check=True, timeout=120)
        with open(out, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


def main():
    model_dir, conversations_path, dangling = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        special = {t["id"]: t["content"] for t in json.load(f)["added_tokens"] if t.get("special")}
    template = render_jinja2.chat_environment().from_string(config["chat_template"])
    base = template_context(config)

    def render(messages, tools, add_generation_prompt):
        context = dict(base, messages=messages, tools=tools, documents=None,
                       add_generation_prompt=add_generation_prompt)
        return template.render(**context)

    # Render everything first: one tokenizer process for all texts.
    plans = []
    texts = []
    with open(conversations_path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for record in records:
        messages = template_messages(record)
        tools = record.get("tools")
        try:
            whole = render(messages, tools, False)
            turns = []
            for i, message in enumerate(messages):
                if message["role"] != "assistant":
                    continue
                prompt = render(messages[:i], tools, True)
                answered = render(messages[: i + 1], tools, False)
                if dangling and answered.endswith(dangling):
                    answered = answered[: -len(dangling)]
                turns.append((prompt, answered))
        except Exception as e:  # noqa: BLE001 - the template raised
            plans.append({"ok": False, "reason": "invalid_example", "error": str(e)})
            continue
        lost = lost_tools(record, whole)
        if lost:
            plans.append({"ok": False, "reason": "lossy_conversion", "error": lost})
            continue
        first = len(texts)
        texts.append(whole)
        for prompt, answered in turns:
            texts += [prompt, answered]
        plans.append({"ok": True, "first": first, "turns": turns})
    ids = encode_all(os.path.join(model_dir, "tokenizer.json"), texts)

    for plan in plans:
        if not plan["ok"]:
            print(json.dumps(plan, ensure_ascii=False))
            continue
        whole = texts[plan["first"]]
        whole_ids = ids[plan["first"]]
        mask = [0] * len(whole_ids)
        try:
            for n, (prompt, answered) in enumerate(plan["turns"]):
                prompt_ids = ids[plan["first"] + 1 + 2 * n]
                answered_ids = ids[plan["first"] + 2 + 2 * n]
                for text, text_ids in ((prompt, prompt_ids), (answered, answered_ids)):
                    if not whole.startswith(text) or whole_ids[: len(text_ids)] != text_ids:
                        raise Unstable()
                begin, end = len(prompt_ids), len(answered_ids)
                stop = end
                last = max((k for k in range(begin, end) if answered_ids[k] in special), default=None)
                if last is not None:
                    added = answered[len(prompt):]
                    token = special[answered_ids[last]]
                    tail = added[added.rfind(token) + len(token):]
                    if tail.strip(" \n\t\r") == "":
                        stop = last + 1
                for k in range(begin, stop):
                    mask[k] = 1
        except Unstable:
            print(json.dumps({"ok": False, "reason": "unstable_template_prefix", "error": ""}))
            continue
        print(json.dumps({"ok": True, "text": whole, "input_ids": whole_ids, "assistant_masks": mask},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
