"""What the generated attrs models say about their JSON: the type each field
may have, and the values of each enum field.

Read from the models' annotations (strings such as "None | str" or
"list[str]"), so fields a regeneration adds are covered with no code change.
Works on any attrs class; it does not import the generated package.
"""

from __future__ import annotations

import sys
import typing
from functools import cache
from typing import Any

import attrs


def check_types(model: type[Any], data: dict[str, Any]) -> None:
    problems = type_errors(model, data)
    if problems:
        raise TypeError("; ".join(problems))


def type_errors(model: type, data: dict[str, Any]) -> list[str]:
    """Fields of `data` whose JSON type is not the one the spec gives."""
    return [
        f"field {name!r} should be {_describe(expected)}, got {type(data[name]).__name__}"
        for name, expected in json_types(model).items()
        if name in data and not isinstance(data[name], expected)
    ]


def _describe(expected: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
             list: "an array", dict: "an object", type(None): "null"}  # fmt: skip
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in expected))


@cache
def json_types(model: type) -> dict[str, tuple[type, ...]]:
    """For each field of a generated model, the JSON types its value may have.

    Read from the attrs annotations (strings such as "None | str" or
    "list[str]"), so fields added by a regeneration are checked too.
    """
    namespace = vars(sys.modules[model.__module__])
    table: dict[str, tuple[type, ...]] = {}
    for field in attrs.fields(model):
        if field.name == "additional_properties" or not isinstance(field.type, str):
            continue
        allowed: list[type] = []
        for token in field.type.split(" | "):
            json_type = _json_type_of(token.strip(), namespace)
            if json_type is None:
                break
            allowed.extend(json_type)
        else:
            if allowed:
                table[field.name] = tuple(dict.fromkeys(allowed))
    return table


def _json_type_of(token: str, namespace: dict[str, Any]) -> tuple[type, ...] | None:
    simple: dict[str, tuple[type, ...]] = {
        "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
        "None": (type(None),), "Unset": (), "datetime.datetime": (str,),
        "datetime.date": (str,), "Any": (object,),
    }  # fmt: skip
    if token in simple:
        return simple[token]
    if token.startswith("list["):
        return (list,)
    if token.startswith("dict["):
        return (dict,)
    target = namespace.get(token)
    if typing.get_origin(target) is typing.Literal:
        return (str,)
    if isinstance(target, type) or token[:1].isupper():
        # Another generated model (imported under TYPE_CHECKING): a JSON object.
        return (dict,)
    return None


@cache
def literal_fields(model: type) -> dict[str, frozenset[str]]:
    """Fields typed by a Literal (a spec enum), with their known values."""
    namespace = vars(sys.modules[model.__module__])
    table = {}
    for field in attrs.fields(model):
        if not isinstance(field.type, str):
            continue
        for token in field.type.split(" | "):
            target = namespace.get(token.strip())
            if typing.get_origin(target) is typing.Literal:
                table[field.name] = frozenset(typing.get_args(target))
    return table
