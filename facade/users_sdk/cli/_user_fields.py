"""What the CLI shows of a user, from the generated User model: the columns
of CSV output (every field, in the spec's order), the narrower columns of a
table, and the enum fields `users summary` counts by.

Read from the model's attrs fields and their annotations, which `make
generate` writes; nothing here names a field or an enum value.
"""

from __future__ import annotations

import functools
import typing
from typing import TYPE_CHECKING

import users_sdk

from .._spec import TYPES

if TYPE_CHECKING:
    import attrs

__all__ = ["columns", "enum_fields", "table_columns"]

# The attrs field the generated models keep unknown JSON fields in.
_EXTRA = "additional_properties"


def _fields() -> list[attrs.Attribute[object]]:
    import attrs  # with the models, on first use: not for `users-sdk --help`

    return [field for field in attrs.fields(users_sdk.User) if field.name != _EXTRA]


def _type_names(field: attrs.Attribute[object]) -> list[str]:
    # The generated annotations are strings such as "None | str" or "UserRole".
    annotation = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    return [part.strip() for part in str(annotation).split("|")]


@functools.cache
def _enums() -> dict[str, tuple[str, ...]]:
    """The spec's enums by name ("UserRole": its values), from users_sdk."""
    found = {}
    for name in TYPES:
        value = getattr(users_sdk, name)
        if typing.get_origin(value) is typing.Literal:
            found[name] = tuple(str(v) for v in typing.get_args(value))
    return found


@functools.cache
def columns() -> tuple[str, ...]:
    """Every field of a user, in the spec's order."""
    return tuple(field.name for field in _fields())


@functools.cache
def table_columns() -> tuple[str, ...]:
    """The fields a table shows: those that are always a single string or enum
    value (never null, no list, no date-time), which fit on one line."""
    enums = _enums()
    shown = tuple(
        field.name
        for field in _fields()
        if len(names := _type_names(field)) == 1 and (names[0] == "str" or names[0] in enums)
    )
    return shown or columns()


@functools.cache
def enum_fields() -> dict[str, tuple[str, ...]]:
    """The user's enum fields and their values, in the spec's order."""
    enums = _enums()
    found = {}
    for field in _fields():
        known = [name for name in _type_names(field) if name in enums]
        if known:
            found[field.name] = enums[known[0]]
    return found
