"""What the server reads from openapi.yaml, as plain values: the declarations
`reader.py` builds and the rest of the server is built from.

Nothing here reads a file or imports YAML: the storage, the request bodies
and the routes take these values, and `location.py` can raise `SpecError`
before PyYAML is known to be installed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

# The kind of a property: the word the SDK's generator gives the same field
# (scripts/sdk_codegen/kinds.py), so that the server and the SDK name a field's
# kind alike. `list` is an array of strings, `map` an object of strings
# (Metadata); their items' and values' constraints are the property's `limits`.
# The generator's `number` and `model` are schemas this server refuses.
Kind = Literal[
    "text", "email", "enum", "date", "uuid", "binary", "instant", "integer", "flag", "list", "map"
]
# Stored and validated as a plain string (an enum's values and an email's form
# are checked by the property's `limits`). An instant is a string on the wire
# but stored as integer microseconds.
STRING_KINDS: frozenset[Kind] = frozenset({"text", "email", "enum", "date", "uuid", "binary"})
# The kind of a JSON string with this `format`, as the generator reads it
# (kinds.py's STRING_FORMATS); any other string is `text`, an enum `enum`.
STRING_FORMATS: Mapping[str, Kind] = {
    "date-time": "instant",
    "date": "date",
    "uuid": "uuid",
    "email": "email",
    "binary": "binary",
}


class SpecError(ValueError):
    """The spec cannot be read, or declares something this server cannot serve."""


@dataclass(frozen=True)
class Limits:
    """Constraints on one value: a string (or an array's items, a map's values), an integer."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    email: bool = False  # `format: email`
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Property:
    """One property of an object schema, in the spec's order."""

    name: str
    kind: Kind
    nullable: bool  # `type: [..., "null"]`
    required: bool  # listed in the object's `required`
    # Of the value itself, or of each item of an array / each value of a map.
    limits: Limits = Limits()
    # maxItems / minItems of an array, maxProperties / minProperties of a map.
    min_items: int | None = None
    max_items: int | None = None
    has_default: bool = False
    default: Any = None


@dataclass(frozen=True)
class QueryParameters:
    """The query parameters of one operation, its path's included, as properties."""

    operation_id: str
    parameters: tuple[Property, ...]  # in the spec's order
    # Name -> why not: a parameter whose schema this server cannot describe is
    # kept out of `parameters`, so that it is ignored like any unknown one
    # unless the server implements it (then it is an error at start).
    unreadable: Mapping[str, str]

    def parameter(self, name: str) -> Property | None:
        return next((prop for prop in self.parameters if prop.name == name), None)

    def default(self, name: str, fallback: Any = None) -> Any:
        """The spec's default of the parameter `name`, else `fallback`."""
        prop = self.parameter(name)
        return prop.default if prop is not None and prop.has_default else fallback


@dataclass(frozen=True)
class Operation:
    """One operation of the spec: where it is and whether it needs a credential."""

    operation_id: str | None  # optional in OpenAPI
    method: str  # upper case, as on the wire
    path: str  # the spec's template, e.g. /v1/users/{user_id}
    # `security: []` (or an empty requirement among others): callable without credential.
    public: bool

    @property
    def label(self) -> str:
        """`POST /v1/users/{user_id}/invite`: what Schemathesis calls the operation's name."""
        return f"{self.method} {self.path}"

    @property
    def name(self) -> str:
        return self.operation_id or self.label


@dataclass(frozen=True)
class ApiSchema:
    path: Path
    user: tuple[Property, ...]
    user_create: tuple[Property, ...]
    user_update: tuple[Property, ...]
    password_reset_request: tuple[Property, ...]
    password_set: tuple[Property, ...]
    roles: tuple[str, ...]
    statuses: tuple[str, ...]
    list_users: QueryParameters
    # Lower-cased name -> bounds of each header parameter in #/components/parameters
    # (Idempotency-Key, If-Match): FastAPI does not read these headers, the handlers do.
    headers: Mapping[str, Limits]
    # Every operation of `paths`, in the spec's order.
    operations: tuple[Operation, ...] = ()
