"""Writes the operations and the resources from Jinja2 templates (templates/):

- `sdk/call.py`: the typed description of a call (static);
- `sdk/operations.py`: one `Operation` per operation of the spec;
- `sdk/resources/<tag>.py`: the methods of `client.<tag>`, sync and async,
  with explicit signatures, the spec's summary and description, and an
  example written from the spec's example values (examples.py);
- `sdk/resources/__init__.py`: the client properties, one per tag.

The rules that turn an operation into a method are in methods.py.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

from . import examples
from . import methods as methods_module
from .spec import Spec
from .text import pascal, tuple_literal

TEMPLATES = Path(__file__).with_name("templates")


def _docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring, wrapped by the formatter's rules."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    environment.filters["pyrepr"] = repr
    environment.filters["pytuple"] = tuple_literal
    environment.filters["docstring"] = _docstring
    return environment


def render(spec: Spec) -> dict[str, str]:
    """The modules' texts by path relative to `sdk/`."""
    environment = _environment()
    spec_methods = methods_module.methods(spec)
    # `example(m, is_async)` in the templates: the docstring's Examples section.
    environment.globals["example"] = functools.partial(
        examples.docstring_section, spec, spec_methods
    )
    grouped = methods_module.resources(spec_methods)
    descriptions = {
        str(tag.get("name")): " ".join(str(tag.get("description", "")).split())
        for tag in spec.document.get("tags", [])
    }
    modules = {
        "call.py": environment.get_template("call.py.jinja").render(),
        "operations.py": environment.get_template("operations.py.jinja").render(
            methods=spec_methods
        ),
    }
    listed: list[dict[str, Any]] = []
    for resource, members in grouped.items():
        tag = members[0].operation.tag
        description = _docstring(descriptions.get(tag) or f"The operations tagged {tag}.")
        listed.append(
            {
                "name": resource,
                "module": resource,
                "cls": pascal(resource),
                "description": description,
            }
        )
        modules[f"resources/{resource}.py"] = environment.get_template("resource.py.jinja").render(
            resource=resource,
            tag=tag,
            cls=pascal(resource),
            description=description,
            methods=members,
            models=sorted(_models(members)),
        )
    modules["resources/__init__.py"] = environment.get_template("resources_init.py.jinja").render(
        resources=listed
    )
    return modules


def _models(members: list[methods_module.Method]) -> set[str]:
    """The models a resource's annotations name."""
    names: set[str] = set()
    for method in members:
        if method.page is not None:
            names.add(method.page.item)
        elif method.returns is not None:
            names.add(method.returns)
        if method.body is not None:
            names.add(method.body)
    return names
