"""The ```pycon examples of docs/python.md, run as doctests from the repository root with
`tmp` a scratch folder, so the page cannot drift from the package."""
import doctest
import os
import re

from conftest import ROOT

PAGE = ROOT / "docs" / "python.md"


def test_python_md_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"^```pycon\n(.*?)^```$", PAGE.read_text(encoding="utf-8"), flags=re.S | re.M)
    assert len(blocks) >= 5
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    # One doctest of all blocks: later examples use names earlier ones set, as a reader would.
    test = parser.get_doctest("\n".join(blocks), {"tmp": str(tmp_path)}, "python.md", str(PAGE), 0)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} failing examples in docs/python.md (see output)"
