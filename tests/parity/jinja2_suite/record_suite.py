#!/usr/bin/python3
"""Records the renders that Jinja2's own test suite makes with a default Environment, as a
parity corpus for tunepack (cases.json beside this script; parity_suite_test.cc replays it).

Usage: record_suite.py JINJA_TESTS_DIR > cases.json
JINJA_TESTS_DIR is the tests/ folder of pallets/jinja at tag 3.1.2 (e.g. from `git archive
3.1.2 tests`). Needs Debian's /usr/bin/python3 with python3-jinja2 (3.1.2, the reference) and
python3-pytest (only to regenerate the corpus; the parity test does not need it).

Two passes. First the suite runs under pytest with Environment.from_string and
Template.render watched: every render by a plain jinja2.Environment() (default options, no
loader, extensions, or custom filters, tests or globals) whose variables are JSON values is
noted with its template source, as is every template such an environment refuses to parse.
Then each distinct (template, variables) pair is rendered again here, in a fresh default
Environment, and its output or error is what the corpus records (pairs whose output varies
from run to run, such as the random filter's, are left out). Only the data is kept, not
the suite's code.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

PLUGIN = r'''
import json, math, os
import jinja2
from jinja2 import Environment
from jinja2.environment import Template
from jinja2.exceptions import TemplateSyntaxError

_DEFAULT = Environment()
_SEEN = []
_OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
            "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
            "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
            "finalize", "autoescape", "undefined", "is_async")


def _is_default(env):
    if type(env) is not Environment or env.loader is not None or env.extensions:
        return False
    if any(getattr(env, o, None) != getattr(_DEFAULT, o, None) for o in _OPTIONS):
        return False
    return env.filters == _DEFAULT.filters and env.tests == _DEFAULT.tests and env.globals == _DEFAULT.globals


def _is_json(v):
    if v is None or isinstance(v, (bool, str)):
        return True
    if isinstance(v, int):
        return True
    if isinstance(v, float):
        return math.isfinite(v)
    if type(v) is list:
        return all(_is_json(x) for x in v)
    if type(v) is dict:
        return all(type(k) is str and _is_json(x) for k, x in v.items())
    return False


_from_string = Environment.from_string


def from_string(self, source, globals=None, template_class=None):
    default = isinstance(source, str) and not globals and _is_default(self)
    try:
        t = _from_string(self, source, globals, template_class)
    except TemplateSyntaxError:
        if default:
            _SEEN.append({"test": os.environ.get("PYTEST_CURRENT_TEST", "?"), "template": source, "context": {}})
        raise
    if default:
        t._tp_source = source
    return t


_render = Template.render


def render(self, *args, **kwargs):
    source = getattr(self, "_tp_source", None)
    if source is not None and _is_default(self.environment):
        try:
            ctx = dict(*args, **kwargs)
        except Exception:
            ctx = None
        if ctx is not None and _is_json(ctx):
            _SEEN.append({"test": os.environ.get("PYTEST_CURRENT_TEST", "?"), "template": source, "context": ctx})
    return _render(self, *args, **kwargs)


Environment.from_string = from_string
Template.render = render


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["TP_RECORD_OUT"], "w", encoding="utf-8") as f:
        json.dump(_SEEN, f, ensure_ascii=False)
'''


def render_case(template, context):
    import jinja2
    from jinja2.exceptions import TemplateSyntaxError

    env = jinja2.Environment()
    try:
        return {"ok": True, "text": env.from_string(template).render(**context)}
    except TemplateSyntaxError as e:
        return {"ok": False, "type": type(e).__name__, "error": e.message}
    except Exception as e:  # noqa: BLE001 - every error is part of the record
        return {"ok": False, "type": type(e).__name__, "error": str(e)}


def main():
    tests_dir = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "tp_record_plugin.py"), "w") as f:
            f.write(PLUGIN)
        out = os.path.join(tmp, "seen.json")
        env = dict(os.environ, TP_RECORD_OUT=out, PYTHONPATH=tmp)
        subprocess.run(
            ["/usr/bin/python3", "-m", "pytest", "-q", "-p", "tp_record_plugin", "-p", "no:cacheprovider",
             "--ignore", os.path.join(tests_dir, "test_async.py"),
             "--ignore", os.path.join(tests_dir, "test_async_filters.py"), tests_dir],
            env=env, cwd=tmp, stdout=subprocess.DEVNULL, check=False)
        with open(out, encoding="utf-8") as f:
            seen = json.load(f)
    cases, keys = [], set()
    for s in seen:
        key = json.dumps([s["template"], s["context"]], sort_keys=True)
        if key in keys:
            continue
        keys.add(key)
        test = s["test"].split(" ")[0]
        test = test[test.rfind("/", 0, test.find("::")) + 1:]  # test_filters.py::TestFilter::test_x
        case = {"id": "%s#%d" % (test, sum(1 for c in cases if c["test"] == test)), "test": test,
                "template": s["template"], "context": s["context"]}
        outcome = render_case(s["template"], s["context"])
        # A render that differs between runs (the random filter) cannot be compared.
        if any(render_case(s["template"], s["context"]) != outcome for _ in range(4)):
            continue
        case.update(outcome)
        cases.append(case)
    for c in cases:
        del c["test"]
    json.dump(cases, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
