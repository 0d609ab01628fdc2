"""Small helpers for writing Python source text, and the templates' loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from openapi_python_client.strings import pascal_case


def py_literal(value: Any) -> str:
    """A Python literal of a JSON value (str, int, float, bool, None)."""
    return repr(value)


def pascal(snake: str) -> str:
    return pascal_case(snake)


def constant_name(snake: str) -> str:
    return snake.upper()


def render_module(lines: list[str]) -> str:
    """The module's text; the pinned ruff formats it after it is written."""
    return "\n".join(lines).rstrip() + "\n"


def tuple_literal(values: list[Any] | tuple[Any, ...]) -> str:
    """A tuple literal on one line (ruff keeps it so: no magic trailing comma)."""
    items = ", ".join(py_literal(value) for value in values)
    return f"({items},)" if len(values) == 1 else f"({items})"


_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
)
_TEMPLATES.filters["repr"] = py_literal


def render_template(name: str, **context: Any) -> list[str]:
    """The lines of `templates/<name>` filled with `context`, for a renderer's
    list (with no blank line at the end)."""
    return _TEMPLATES.get_template(name).render(**context).rstrip("\n").split("\n")
