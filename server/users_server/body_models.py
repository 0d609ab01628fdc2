"""Strict pydantic models of request bodies, built from object schemas of the spec.

Each property becomes a field with the spec's constraints (lengths, pattern,
`format: email`, enum, item and map limits), in the spec's order, so errors
come in that order too. A property whose type has no "null" rejects null
with `null_not_allowed` (before any other check of it), unless the body is
built with `null_not_allowed=False`: then null gets pydantic's type error.

An absent property takes the spec's `default`, else one of `defaults` (the
ones the spec only says in prose, like the role of a new user), else an
empty array or map, else None: "not sent".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Annotated, Any, Literal, cast

from pydantic import AfterValidator, Field, create_model

from .models import NotNull, RequestBody, check_email
from .spec import Limits, Property, SpecError

# Subscripted with values computed at run time, which type checkers cannot follow.
_Annotated = cast(Any, Annotated)
_Literal = cast(Any, Literal)
_list = cast(Any, list)
_dict = cast(Any, dict)


def enum_type(values: tuple[str, ...]) -> Any:
    return _Literal[values]


def body_model(
    name: str,
    properties: tuple[Property, ...],
    defaults: Mapping[str, Any],
    *,
    null_not_allowed: bool = True,
) -> type[RequestBody]:
    """A model called `name` (pydantic's messages name it: "...instance of UserCreate")."""
    fields: dict[str, Any] = {
        prop.name: _field(prop, defaults, null_not_allowed) for prop in properties
    }
    return create_model(name, __base__=RequestBody, **fields)


def _field(prop: Property, defaults: Mapping[str, Any], null_not_allowed: bool) -> tuple[Any, Any]:
    annotation = _value_type(prop)
    if prop.required:
        default: Any = ...
    elif prop.has_default or prop.name in defaults:
        value = prop.default if prop.has_default else defaults[prop.name]
        # A fresh copy per body: a default list must not be shared between users.
        default = Field(default_factory=lambda: copy.deepcopy(value))
    elif prop.kind == "string_array":
        default = Field(default_factory=list)
    elif prop.kind == "string_map":
        default = Field(default_factory=dict)
    else:
        default = None
    if prop.nullable or default is None:
        annotation = annotation | None
    if not prop.nullable and null_not_allowed:
        annotation = _Annotated[annotation, NotNull]
    return annotation, default


def _value_type(prop: Property) -> Any:
    limits = prop.limits
    if prop.kind == "string_array":
        return _Annotated[_list[scalar_type(prop.name, "text", limits)], _sizes(prop)]
    if prop.kind == "string_map":
        return _Annotated[_dict[str, scalar_type(prop.name, "text", limits)], _sizes(prop)]
    return scalar_type(prop.name, prop.kind, limits)


def _sizes(prop: Property) -> Any:
    return Field(min_length=prop.min_items, max_length=prop.max_items)


def scalar_type(name: str, kind: str, limits: Limits) -> Any:
    """One value: a string, an integer or a boolean, with its limits (an enum: a Literal)."""
    if limits.enum is not None:
        return enum_type(limits.enum)
    if kind == "text":
        checks: list[Any] = [
            Field(
                min_length=limits.min_length, max_length=limits.max_length, pattern=limits.pattern
            )
        ]
        if limits.email:
            checks.append(AfterValidator(check_email))
        return _Annotated[(str, *checks)]
    if kind == "integer":
        return _Annotated[int, Field(ge=limits.minimum, le=limits.maximum)]
    if kind == "boolean":
        return bool
    # An instant in a request body would need parsing and storing rules of its own.
    raise SpecError(f"{name}: a {kind} property in a request body is not supported")
