#!/usr/bin/python3
"""Renders template jobs with Python Jinja2, configured as transformers configures it for chat
templates (mode "chat") or as a default Environment (mode "plain").

Usage: render_jinja2.py JOBS.json > RESULTS.json
JOBS.json is a list of {"template": str, "context": dict, "mode": "chat"|"plain"}; the output
is a list, one entry per job: {"ok": true, "text": str} or {"ok": false, "type": str,
"error": str}. Run it with Debian's /usr/bin/python3 (python3-jinja2 3.1.2), the reference.
"""
import json
import sys
from datetime import datetime

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.exceptions import TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment


class GenerationBlock(jinja2.ext.Extension):
    """{% generation %}...{% endgeneration %}: renders its body, as transformers'
    AssistantTracker does when no mask is requested."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers' override (chat_template_utils.py): no HTML escaping, non-ASCII kept.
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


def chat_environment():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationBlock, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def plain_environment():
    return jinja2.Environment()


def render(env, job):
    try:
        template = env.from_string(job["template"])
        return {"ok": True, "text": template.render(**job.get("context", {}))}
    except TemplateSyntaxError as e:
        return {"ok": False, "type": type(e).__name__, "error": e.message}
    except Exception as e:  # noqa: BLE001 - every error is compared with tunepack's
        return {"ok": False, "type": type(e).__name__, "error": str(e)}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        jobs = json.load(f)
    envs = {"chat": chat_environment(), "plain": plain_environment()}
    results = [render(envs[job.get("mode", "plain")], job) for job in jobs]
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
