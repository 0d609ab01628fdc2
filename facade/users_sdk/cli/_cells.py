"""Strings into values by the kind of a field (users_api_client.sdk.params
`Kind`), and values back into strings: the cells of a CSV file, and the
values of options such as `--metadata team=core`.

Nothing here names a field: a field the spec gains is read by its kind.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._input.values import brief
from .._request_facts import Kind

__all__ = ["OMIT", "CellError", "from_text", "json_object", "to_text"]

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


class CellError(ValueError):
    """A string that is not a value of its field's kind (the message says which)."""


# A cell left empty: None clears a nullable field; a non-nullable one is left out.
OMIT: Any = object()


def from_text(kind: Kind | None, text: str) -> Any:
    """The value of a cell; OMIT when an empty cell leaves the field out.

    A field the spec does not know (None) stays text: the API may know it.
    """
    if kind is None:
        return text if text != "" else OMIT
    if text.strip() == "":
        return None if kind.nullable else OMIT
    name = kind.kind
    if name == "integer":
        try:
            return int(text)
        except ValueError:
            raise CellError(f"{text!r} is not an integer") from None
    if name == "number":
        try:
            return float(text)
        except ValueError:
            raise CellError(f"{text!r} is not a number") from None
    if name == "flag":
        word = text.strip().lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise CellError(f"{text!r} is not true or false")
    if name == "list":
        if text.lstrip().startswith("["):
            return _json(text, list, "a JSON array")
        return [item.strip() for item in text.split(",") if item.strip()]
    if name in ("map", "model"):
        return json_object(text)
    return text


def json_object(text: str) -> dict[str, Any]:
    """A JSON object (a cell, a line of JSON Lines, `--data`), or CellError."""
    value = _json(text, dict, "a JSON object")
    assert isinstance(value, dict)
    return value


def _json(text: str, expected: type, described: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        raise CellError(f"{brief(text)} is not {described}") from None
    if not isinstance(value, expected):
        raise CellError(f"{brief(text)} is not {described}")
    return value


def to_text(value: Any) -> str:
    """A value as a cell: empty for null, true/false, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | Mapping):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
