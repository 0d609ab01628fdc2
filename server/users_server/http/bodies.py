"""Request bodies: parsing them, and the strict pydantic models they are parsed into.

Bodies are parsed here rather than by FastAPI so that the order of checks is
ours (401/403 before 422) and so that an absent field, a `null` and a value can
be told apart for merge-patch semantics. Pydantic runs in strict mode: JSON
types are not coerced (`"true"` is not a boolean). Unknown fields are ignored.

The models of the spec's bodies (`UserCreate`, `UserUpdate`,
`PasswordResetRequest`, `PasswordSet`) are built from their object schemas:
each property becomes a field with the spec's constraints (lengths, pattern,
`format: email`, enum, item and map limits), in the spec's order, so errors
come in that order too. A property whose type has no "null" rejects null
with `null_not_allowed` (before any other check of it), unless the body is
built with `null_not_allowed=False`: then null gets pydantic's type error.
For an update, "send null to clear" is thus only for the nullable fields.

An absent property takes the spec's `default`, else one of `defaults` (the
ones the spec only says in prose, like the role of a new user), else an
empty array or map, else None: "not sent". For an update the defaults do not
matter: only the properties that were sent count (`changes`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from ..errors import FieldError, validation_error
from ..spec import STRING_KINDS, ApiSchema, Kind, Limits, Property, SpecError
from .problems import field_errors

# RFC 5321/5322 in the common, unquoted form: a dot-atom local part and a
# domain of at least two LDH labels. ASCII only: `format: email`, not `idn-email`.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>{_LABEL}(?:\.{_LABEL})+)")


def check_email(value: str) -> str:
    match = _EMAIL.fullmatch(value)
    if not match or len(match["local"]) > 64 or len(match["domain"]) > 253:
        raise PydanticCustomError("invalid_email", "value is not a valid email address")
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("null_not_allowed", "this field may not be null")
    return value


# For a field whose schema has no "null": sending null is a 422, not "clear it"
# (and not pydantic's type error). Before any other check of the field.
NotNull = BeforeValidator(_not_null)


class RequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


Model = TypeVar("Model", bound=BaseModel)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(raw: bytes, model: type[Model]) -> Model:
    """Decode and validate a JSON body, or raise a 422 naming each bad field."""
    if not raw.strip():
        raise validation_error([FieldError("body", "a JSON body is required", "missing")])
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
        # Lone surrogates (`"\ud800"`) decode fine but cannot be stored as UTF-8.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise validation_error(
            [FieldError("body", "the body contains invalid Unicode", "invalid_unicode")]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise validation_error(
            [FieldError("body", f"the body is not valid JSON: {exc}", "invalid_json")]
        ) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(field_errors(exc.errors(include_url=False))) from None


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
    elif prop.kind == "list":
        default = Field(default_factory=list)
    elif prop.kind == "map":
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
    if prop.kind == "list":
        return _Annotated[_list[scalar_type(prop.name, "text", limits)], _sizes(prop)]
    if prop.kind == "map":
        return _Annotated[_dict[str, scalar_type(prop.name, "text", limits)], _sizes(prop)]
    return scalar_type(prop.name, prop.kind, limits)


def _sizes(prop: Property) -> Any:
    return Field(min_length=prop.min_items, max_length=prop.max_items)


def scalar_type(name: str, kind: Kind, limits: Limits) -> Any:
    """One value: a string, an integer or a boolean, with its limits (an enum: a Literal)."""
    if limits.enum is not None:
        return enum_type(limits.enum)
    if kind in STRING_KINDS:
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
    if kind == "flag":
        return bool
    # An instant in a request body would need parsing and storing rules of its own.
    raise SpecError(f"{name}: a property of kind {kind} in a request body is not supported")


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


@dataclass(frozen=True)
class PasswordBodies:
    reset_request: type[RequestBody]
    set_password: type[RequestBody]

    @classmethod
    def from_schema(cls, schema: ApiSchema) -> PasswordBodies:
        return cls(
            reset_request=body_model("PasswordResetRequest", schema.password_reset_request, {}),
            # A null token or password is answered with pydantic's type error
            # (`string_type`), not `null_not_allowed`: that is what this body
            # answered when it was declared by hand, and clients may match on it.
            set_password=body_model("PasswordSet", schema.password_set, {}, null_not_allowed=False),
        )
