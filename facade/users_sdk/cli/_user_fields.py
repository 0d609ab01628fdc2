"""What the CLI shows of a user, from what `make generate` wrote: the columns
of CSV output (every field), the narrower columns of a table, and the enum
fields `users summary` counts by; all in the order of `users_sdk._records`
(the spec's), which also orders every record the CLI writes.

Read from the User model's Shape (its fields' JSON names and types) and the
enum Literals; nothing here names a field or an enum value.
"""

from __future__ import annotations

import functools
import typing
from typing import TYPE_CHECKING, Any

import users_sdk

from .. import _records
from .._request_facts import TYPES

if TYPE_CHECKING:
    from users_api_client.sdk.builders import Shape

__all__ = ["columns", "enum_fields", "table_columns"]


def _shape() -> Shape[Any]:
    from users_api_client.sdk.builders import USER  # with the models, on first use

    return USER


@functools.cache
def _enums() -> tuple[tuple[str, ...], ...]:
    """The values of each of the spec's enums, in the spec's order, from users_sdk."""
    found = []
    for name in TYPES:
        value = getattr(users_sdk, name)
        if typing.get_origin(value) is typing.Literal:
            found.append(tuple(str(v) for v in typing.get_args(value)))
    return tuple(found)


@functools.cache
def columns() -> tuple[str, ...]:
    """Every field of a user, in the spec's order."""
    return _records.field_order(users_sdk.User)


@functools.cache
def table_columns() -> tuple[str, ...]:
    """The fields a table shows: those that are always a single string or enum
    value (never null, no list, no date-time), which fit on one line."""
    shape = _shape()
    shown = tuple(
        name
        for name in columns()
        if tuple(shape.json_types[name]) == (str,) and name not in shape.instants
    )
    return shown or columns()


@functools.cache
def enum_fields() -> dict[str, tuple[str, ...]]:
    """The user's enum fields and their values, both in the spec's order."""
    shape = _shape()
    found = {}
    for name in columns():
        values = shape.enums.get(name)
        if values is not None:
            in_order = [enum for enum in _enums() if frozenset(enum) == values]
            found[name] = in_order[0] if in_order else tuple(sorted(values))
    return found
