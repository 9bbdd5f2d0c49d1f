"""Renders a checkpoint's chat template the way transformers' apply_chat_template does.

Usage: render_chat_template.py CHECKPOINT_DIR REQUEST_JSON, where the request holds messages, tools and
add_generation_prompt. Prints the rendered text. The environment follows transformers' own: a sandboxed
Jinja environment with trim_blocks and lstrip_blocks, the loop-controls extension, a tojson filter that is
json.dumps with ensure_ascii off, and raise_exception.
"""
import json
import sys

from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment


def tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise TemplateError(message)


checkpoint, request_file = sys.argv[1], sys.argv[2]
with open(checkpoint + "/tokenizer_config.json", encoding="utf-8") as f:
    template_text = json.load(f)["chat_template"]
with open(request_file, encoding="utf-8") as f:
    request = json.load(f)
environment = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
environment.filters["tojson"] = tojson
environment.globals["raise_exception"] = raise_exception
template = environment.from_string(template_text)
sys.stdout.write(template.render(messages=request["messages"], tools=request.get("tools"),
                                 add_generation_prompt=request["add_generation_prompt"]))
