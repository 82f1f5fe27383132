"""tunepack.export, tunepack.convert and tunepack.read: the command line's pipeline in
process, options checked by their declarations, events, Ctrl-C and resume."""
import json
import os
import signal
import threading

import pytest

import tunepack
from tunepack._export import python_name
from conftest import ROOT, cli_error, run_cli

QA = ROOT / "examples" / "records" / "support-qa.jsonl"
QA_OPTIONS = {"format": "openai", "map": ["user=question", "assistant=answer"]}


def data_files(folder):
    """The bytes of every file an export wrote, but the manifest (it holds times)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != "manifest.json"}


def test_export_writes_what_the_cli_writes_and_returns_the_manifest(tmp_path):
    manifest = tunepack.export(QA, tmp_path / "py", **QA_OPTIONS)
    run_cli("export", QA, "-o", tmp_path / "cli", "--format", "openai", "--map", "user=question",
            "--map", "assistant=answer", "--progress", "none", check=False)
    assert data_files(tmp_path / "py") == data_files(tmp_path / "cli")
    on_disk = json.loads((tmp_path / "py" / "manifest.json").read_text())
    assert manifest == on_disk
    assert manifest["counts"]["written"] == 5 and manifest["counts"]["rejected"] == 1


def test_an_unknown_option_is_refused_naming_it(tmp_path):
    with pytest.raises(tunepack.InvalidArgumentError, match="max_tokenz") as raised:
        tunepack.export(QA, tmp_path / "out", max_tokenz=5)
    assert "--" not in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_option_values_are_checked_by_their_declarations(tmp_path):
    with pytest.raises(tunepack.InvalidArgumentError, match="dedup"):
        tunepack.export(QA, tmp_path / "out", dedup="sometimes")
    with pytest.raises(tunepack.InvalidArgumentError, match="max_tokens"):
        tunepack.export(QA, tmp_path / "out", max_tokens="many")
    # A rule between options words the names as keyword arguments, where the CLI words flags.
    with pytest.raises(tunepack.InvalidArgumentError) as raised:
        tunepack.export(QA, tmp_path / "out", max_tokens=50)
    cli = cli_error("export", QA, "-o", tmp_path / "cli", "--max-tokens", "50", "--progress", "none")
    assert str(raised.value) == cli.replace("--max-tokens", "max_tokens").replace("--tokenizer", "tokenizer")


def test_every_declared_option_is_a_keyword_of_the_stub():
    stub = (ROOT / "python" / "tunepack" / "__init__.pyi").read_text()
    for command in ("export", "convert"):
        declared = [python_name(o["name"]) for o in tunepack._native.declared_options(command)
                    if o["name"] not in ("inputs", "output")]
        start = stub.index(f"def {command}(")
        signature = stub[start:stub.index(") ->", start)]
        named = [part.split(":")[0].strip() for part in signature.split("\n")[1:] if ":" in part]
        named = [name for name in named if name not in ("inputs", "output", "on_event")]
        assert named == declared, f"{command}: run tools/update-python-stubs"
        assert all(name in getattr(tunepack, command).__doc__ for name in declared)


def test_events_reach_the_callback_in_order(tmp_path):
    events = []
    manifest = tunepack.export(QA, tmp_path / "out", on_event=events.append, **QA_OPTIONS)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    assert kinds.count("record_written") == manifest["counts"]["written"]
    assert kinds.count("record_rejected") == manifest["counts"]["rejected"]
    assert events[-1]["status"] == "ok"


def big_input(path, records):
    with open(path, "w") as f:
        for i in range(records):
            f.write(json.dumps({"question": f"Question {i}: how does step {i % 97} work?",
                                "answer": f"Step {i % 97} works like this, case {i}."}) + "\n")
    return path


def test_ctrl_c_stops_the_export_resumably_and_resume_finishes_it(tmp_path, monkeypatch):
    # A checkpoint after every batch, so the interrupted run leaves one however early it stops.
    monkeypatch.setenv("TUNEPACK_CHECKPOINT_EVERY_BATCH", "1")
    source = big_input(tmp_path / "in.jsonl", 60_000)
    options = dict(QA_OPTIONS, jobs=2)
    whole = tunepack.export(source, tmp_path / "whole", **options)

    def interrupt_on_first_progress(event):
        if event["event"] == "progress" and not interrupt_on_first_progress.sent:
            interrupt_on_first_progress.sent = True
            # From another thread, as a terminal's Ctrl-C arrives: a signal to the process.
            threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT)).start()
    interrupt_on_first_progress.sent = False

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        tunepack.export(source, out, on_event=interrupt_on_first_progress, **options)
    assert not (out / "manifest.json").exists()
    assert (out / ".tunepack-partial" / "checkpoint.json").exists()
    resumed = tunepack.export(source, out, resume=True, **options)
    assert data_files(out) == data_files(tmp_path / "whole")
    assert resumed["counts"] == whole["counts"]


def test_an_exception_in_the_callback_stops_the_export_and_is_raised(tmp_path):
    source = big_input(tmp_path / "in.jsonl", 20_000)

    def fail(event):
        if event["event"] == "record_written":
            raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        tunepack.export(source, tmp_path / "out", on_event=fail, **QA_OPTIONS)
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_convert_is_the_cli_convert(tmp_path):
    source = ROOT / "examples" / "records" / "instructions.alpaca.jsonl"
    tunepack.convert(source, tmp_path / "py", format="sharegpt", from_="alpaca")
    run_cli("convert", source, "-o", tmp_path / "cli", "--to", "sharegpt", "--from", "alpaca", "--progress", "none")
    assert data_files(tmp_path / "py") == data_files(tmp_path / "cli")


def test_read_iterates_an_export_folder(tmp_path):
    tunepack.export(QA, tmp_path / "out", **QA_OPTIONS)
    examples = list(tunepack.read(tmp_path / "out"))
    lines = (tmp_path / "out" / "train.jsonl").read_text().splitlines()
    assert len(examples) == len(lines) == 5
    for example, line in zip(examples, lines):
        assert example["messages"] == json.loads(line)["messages"]
        assert example["split"] == "train"
    assert examples[0]["line"] == 1
    assert list(tunepack.read(tmp_path / "out", split="validation")) == []


def test_read_gives_any_format_the_same_shape():
    examples = list(tunepack.read(ROOT / "examples" / "records" / "instructions.alpaca.jsonl"))
    assert examples and all(e["messages"][0]["role"] in ("system", "user") for e in examples)
    assert all(e["messages"][-1]["role"] == "assistant" for e in examples)


def test_read_of_a_missing_file_raises_not_found(tmp_path):
    with pytest.raises(tunepack.NotFoundError):
        list(tunepack.read(tmp_path / "absent.jsonl"))
    with pytest.raises(tunepack.NotFoundError, match="no-such-format"):
        tunepack.read(QA, format="no-such-format")
