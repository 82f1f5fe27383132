"""Python threads and the GIL: tunepack's calls release it while they work, so threads that
encode at once run in parallel and get the same ids as one thread."""
import threading
import time

import tunepack


def test_eight_python_threads_encoding_at_once_get_the_same_ids(corpus):
    _, texts = corpus
    tokenizer = tunepack.Tokenizer("cl100k_base")
    long_texts = [t for t in texts if len(t) > 2000][:150]
    assert len(long_texts) > 20
    expected = [tokenizer.encode(t) for t in long_texts]
    results = [None] * 8
    start = threading.Barrier(8)

    def work(k):
        start.wait()
        # Each thread walks the texts from a different place, singly and in batches.
        order = long_texts[k:] + long_texts[:k]
        single = [tokenizer.encode(t) for t in order]
        batch = tokenizer.encode_batch(order, threads=2)
        results[k] = (single, batch)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for k, (single, batch) in enumerate(results):
        rotated = expected[k:] + expected[:k]
        assert single == rotated, f"thread {k}"
        assert batch == rotated, f"thread {k} (batch)"


def ticks_in_the_middle(call, attempts=3):
    """Runs call() in another thread while this one reads the clock as often as it can;
    returns the readings taken in the middle half of the call, the call's duration and its
    result. With the GIL held for the whole call this thread could not run during it: one
    reading proves the release. (A count of readings would measure the scheduler: on a loaded
    machine this thread may get a core for only part of the call, or, now and then, for none
    of its middle half: so up to `attempts` calls are made and the first with a reading in
    the middle returned. A call that holds the GIL gives none in any attempt.)"""
    for _ in range(attempts):
        middle, seconds, result = _one_call_ticking(call)
        if middle:
            break
    return middle, seconds, result


def _one_call_ticking(call):
    inside = {}

    def work():
        inside["start"] = time.perf_counter()
        inside["result"] = call()
        inside["end"] = time.perf_counter()

    worker = threading.Thread(target=work)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    start, end = inside["start"], inside["end"]
    middle = [t for t in ticks if start + (end - start) * 0.25 < t < end - (end - start) * 0.25]
    return middle, end - start, inside["result"]


def test_the_gil_is_released_while_a_long_text_is_encoded():
    tokenizer = tunepack.Tokenizer("cl100k_base")
    text = "tunepack encodes text exactly. " * 200_000  # about 6 MB, a fraction of a second
    middle, seconds, _ = ticks_in_the_middle(lambda: tokenizer.encode(text))
    assert middle, f"{len(middle)} ticks in the middle of a {seconds:.3f} s encode"


def test_the_gil_is_released_during_encode_batch():
    tokenizer = tunepack.Tokenizer("o200k_base")
    # Few long texts: the encoding, not the conversion of the list (done holding the GIL),
    # fills the middle of the call.
    texts = [("text number %d, with some words to encode " % i) * 60 for i in range(2_000)]
    middle, seconds, _ = ticks_in_the_middle(lambda: tokenizer.encode_batch(texts, threads=1))
    assert middle, f"{len(middle)} ticks in the middle of a {seconds:.3f} s batch"


CHAT_TEMPLATE = ("{% for m in messages %}<|{{ m.role }}|>{{ m.content | trim }}\n{% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>{% endif %}")


def test_the_gil_is_released_while_a_long_conversation_is_rendered():
    # About 8 MB of text, each message written four times: the render (about 0.25 s), not the
    # conversion of the messages (done holding the GIL, under 5% of the call), fills the
    # middle of the call.
    chat = tunepack.ChatTemplate.from_string(
        "{% for m in messages %}{% for _ in range(4) %}<|{{ m.role }}|>{{ m.content | trim | upper }}\n"
        "{% endfor %}{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}")
    messages = [{"role": "user" if i % 2 else "assistant", "content": f" turn {i} " + "words to render " * 200}
                for i in range(2_500)]
    middle, seconds, text = ticks_in_the_middle(lambda: chat.render(messages, add_generation_prompt=True))
    assert text.endswith("<|assistant|>")
    assert middle, f"{len(middle)} ticks in the middle of a {seconds:.3f} s render"


def test_a_conversation_repeating_one_str_object_is_long_too():
    # Every message holds the same str object: converted once (3 KB, under the release
    # threshold), but rendered 2,500 times four times over. Whether the GIL is released
    # must follow the text the render is given, not the text converted.
    chat = tunepack.ChatTemplate.from_string(
        "{% for m in messages %}{% for _ in range(4) %}<|{{ m.role }}|>{{ m.content | trim | upper }}\n"
        "{% endfor %}{% endfor %}")
    content = "words to render " * 200
    messages = [{"role": "user", "content": content} for _ in range(2_500)]
    middle, seconds, text = ticks_in_the_middle(lambda: chat.render(messages))
    assert text.count("<|user|>") == 10_000
    assert middle, f"{len(middle)} ticks in the middle of a {seconds:.3f} s render"


def test_eight_python_threads_rendering_at_once_get_the_same_texts():
    chat = tunepack.ChatTemplate.from_string(CHAT_TEMPLATE)
    # Short conversations (rendered holding the GIL) and long ones (rendered without it), so
    # that threads' renders overlap with each other's conversions.
    conversations = [[{"role": "user", "content": f"question {i} " + "x" * (i * 37 % 9000)},
                      {"role": "assistant", "content": f"answer {i}"}] for i in range(120)]
    expected = [chat.render(c, add_generation_prompt=bool(i % 2)) for i, c in enumerate(conversations)]
    results = [None] * 8
    start = threading.Barrier(8)

    def work(k):
        start.wait()
        order = list(range(k, len(conversations))) + list(range(k))
        results[k] = [(i, chat.render(conversations[i], add_generation_prompt=bool(i % 2))) for i in order * 5]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for k, rendered in enumerate(results):
        assert rendered is not None, f"thread {k}"
        assert all(text == expected[i] for i, text in rendered), f"thread {k}"
