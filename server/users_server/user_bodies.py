"""`UserCreate` and `UserUpdate`: strict pydantic models built from their schemas in the spec.

Each property becomes a field with the spec's constraints (lengths, pattern,
`format: email`, enum, item and map limits), in the spec's order, so errors
come in that order too. A property whose type has no "null" rejects null
with `null_not_allowed`: for an update, "send null to clear" is only for
the nullable fields.

An absent property takes the spec's `default`, else one of `defaults` (the
ones the spec only says in prose, like the role of a new user), else an
empty array or map, else None: "not sent" (a display name to derive, a
nullable field left empty). For an update the defaults do not matter: only
the properties that were sent count (`changes`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast

from pydantic import AfterValidator, Field, create_model

from .models import NotNull, RequestBody, check_email
from .schema import ApiSchema, Limits, Property, SpecError

# Subscripted with values computed at run time, which type checkers cannot follow.
_Annotated = cast(Any, Annotated)
_Literal = cast(Any, Literal)
_list = cast(Any, list)
_dict = cast(Any, dict)


@dataclass(frozen=True)
class UserBodies:
    create: type[RequestBody]
    update: type[RequestBody]

    @classmethod
    def from_schema(cls, schema: ApiSchema, create_defaults: Mapping[str, Any]) -> UserBodies:
        return cls(
            create=body_model("UserCreate", schema.user_create, create_defaults),
            update=body_model("UserUpdate", schema.user_update, {}),
        )


def changes(update: RequestBody) -> dict[str, Any]:
    """Merge-patch: the properties that were sent, a None among them meaning "clear"."""
    return update.model_dump(include=update.model_fields_set)


def enum_type(values: tuple[str, ...]) -> Any:
    return _Literal[values]


def enum_list(values: tuple[str, ...]) -> Any:
    """`list[Literal[*values]]`, e.g. for a query parameter that may be repeated."""
    return _list[enum_type(values)]


def body_model(
    name: str, properties: tuple[Property, ...], defaults: Mapping[str, Any]
) -> type[RequestBody]:
    fields: dict[str, Any] = {prop.name: _field(prop, defaults) for prop in properties}
    return create_model(name, __base__=RequestBody, **fields)


def _field(prop: Property, defaults: Mapping[str, Any]) -> tuple[Any, Any]:
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
    if not prop.nullable:
        annotation = _Annotated[annotation, NotNull]
    return annotation, default


def _value_type(prop: Property) -> Any:
    limits = prop.limits
    if prop.kind == "string_array":
        return _Annotated[_list[_scalar(prop.name, "text", limits)], _sizes(prop)]
    if prop.kind == "string_map":
        return _Annotated[_dict[str, _scalar(prop.name, "text", limits)], _sizes(prop)]
    return _scalar(prop.name, prop.kind, limits)


def _sizes(prop: Property) -> Any:
    return Field(min_length=prop.min_items, max_length=prop.max_items)


def _scalar(name: str, kind: str, limits: Limits) -> Any:
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
