"""tunepack.validate: the findings `tunepack validate` prints, as data."""
import pytest

import tunepack
from conftest import run_cli, cli_error

CHAT = (
    '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}\n'
    '{"messages": [{"role": "user", "content": "Only a question"}]}\n'
    'not json\n'
)


def cli_lines(path, *args):
    done = run_cli("validate", path, *args, check=False)
    return done.returncode, done.stdout.decode().splitlines()


@pytest.mark.parametrize("options,flags", [
    ({}, []),
    ({"tokenizer": "cl100k_base", "max_tokens": 1}, ["--tokenizer", "cl100k_base", "--max-tokens", "1"]),
    ({"format": "sharegpt"}, ["--format", "sharegpt"]),
    ({"target": "openai-sft"}, ["--target", "openai-sft"]),
])
def test_same_findings_as_the_command(tmp_path, options, flags):
    path = tmp_path / "chat.jsonl"
    path.write_text(CHAT)
    result = tunepack.validate(path, **options)
    code, lines = cli_lines(path, *flags)
    printed = [f"{path}:{p['line']}: {p['severity']}: {p['message']}" for p in result["problems"]]
    printed.append(f"{path}: {result['records']} records checked as {result['format']}: "
                   f"{result['errors']} errors, {result['warnings']} warnings")
    if result["missing_system"]:
        printed.append(f"{path}: {result['missing_system']} examples have no system message "
                       "(OpenAI's data-preparation notebook counts them)")
    assert printed == lines
    assert result["errors"] == sum(p["severity"] == "error" for p in result["problems"]) > 0
    assert code == 1


def test_option_errors_name_keyword_arguments(tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text(CHAT)
    with pytest.raises(tunepack.InvalidArgumentError, match=r"^max_tokens needs tokenizer"):
        tunepack.validate(path, max_tokens=5)
    assert cli_error("validate", path, "--max-tokens", "5").startswith("--max-tokens needs --tokenizer")
    with pytest.raises(tunepack.NotFoundError):
        tunepack.validate(tmp_path / "missing.jsonl")
