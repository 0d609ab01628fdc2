"""The kinds of field values, each stated once: what every renderer writes
for a value of that kind, and what the facade and the CLI do with one.

`spec.py` gives every field, parameter and array item a kind from this
registry (by its JSON type and string format); the renderers read the entry
instead of branching on the kind; `params.py` carries each kind's local
facts (`KINDS`) to the facade, whose `_input/fields.py` maps a check's name to a
function of `_input/values.py`, and to the CLI, which takes its metavar.

Adding a kind of string (a `format`) is one entry in `KINDS` below, plus the
facade check it names if that check is new. The kinds whose facts depend on
a schema (enum, list, map, model) give templates that the renderers fill:
`{enum}` (the enum's Literal alias), `{items}` (each item's or value's type),
`{model}` (the model's Struct), `{values}` (the enum's values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT, INTEGER, NUMBER, FLAG, INSTANT, DATE, UUID, EMAIL = (
    "text", "integer", "number", "flag", "instant", "date", "uuid", "email",
)  # fmt: skip
ENUM, LIST, MAP, MODEL, BINARY = "enum", "list", "map", "model", "binary"


@dataclass(frozen=True)
class FieldKind:
    """Everything the generated code says about a value of one kind.

    A fact left None is one the kind does not have: a renderer that needs it
    refuses the field (the builders leave the model to `from_dict`; params
    stops `make generate` naming it).
    """

    name: str
    #: The `format`s of a JSON string that make a value of this kind.
    formats: tuple[str, ...] = ()
    #: The type a caller may pass (render_params: TypedDicts, method parameters).
    annotation: str | None = None
    #: The facade's check of a value in a request body: a name that
    #: users_sdk._input.fields maps to a function of users_sdk._input.values.
    check: str | None = None
    #: The check of a query parameter, when it differs from `check`.
    query_check: str | None = None
    #: What `users-sdk --help` shows for the value (None: the CLI's default).
    metavar: str | None = None
    #: The Python types its JSON value decodes to (the builders' Shape).
    json_types: str | None = None
    #: How a builder checks the JSON value `{v}`; None: parsing it checks it.
    json_check: str | None = None
    #: The function the generated model parses the JSON string with
    #: (builders.py and structs.py define it); None: kept as decoded.
    parser: str | None = None
    #: The msgspec type of its JSON value (structs.py).
    struct_type: str | None = None
    #: False when its facts are templates filled from a schema (see above).
    self_contained: bool = True
    #: A JSON value of this kind, for tests that build samples from the spec.
    example: Any = None

    @property
    def check_in_query(self) -> str | None:
        return self.query_check or self.check

    @property
    def plain(self) -> bool:
        """Its JSON value is the model's value, as decoded: no parsing, no
        schema. A free-form map of such values is kept as it comes."""
        return self.self_contained and self.parser is None and self.json_check is not None

    @property
    def struct_parser(self) -> str | None:
        """The parser the Struct converter applies: msgspec reads the value as
        a str (its own date-time parser rounds 7+ fractional digits where
        fromisoformat truncates, and takes a lowercase "t" or "z" it refuses)."""
        return self.parser if self.struct_type == "str" else None


_STRING = {"json_types": "str", "json_check": "type({v}) is str", "struct_type": "str"}

KINDS: dict[str, FieldKind] = {
    kind.name: kind
    for kind in (
        FieldKind(
            TEXT, annotation="str", check="text", query_check="non_empty", example="x", **_STRING
        ),
        FieldKind(
            INTEGER, annotation="int", check="integer", json_types="int",
            json_check="type({v}) is int", struct_type="int", example=7,
        ),
        FieldKind(
            # msgspec would turn a JSON integer into a float; from_dict keeps it an int.
            NUMBER, annotation="float", check="number", json_types="int, float",
            json_check="(type({v}) is float or type({v}) is int)", struct_type="int | float",
            example=1.5,
        ),
        FieldKind(
            FLAG, annotation="bool", check="boolean", json_types="bool",
            json_check="type({v}) is bool", struct_type="bool", example=True,
        ),
        FieldKind(
            INSTANT, formats=("date-time",), annotation="datetime.datetime | str",
            check="instant", metavar="DATETIME", json_types="str", parser="fromiso",
            struct_type="str", example="2026-01-02T03:04:05.123456+02:00",
        ),
        FieldKind(
            DATE, formats=("date",), annotation="datetime.date | str", check="date",
            metavar="DATE", json_types="str", parser="datefromiso", struct_type="str",
            example="2026-01-02",
        ),
        FieldKind(
            UUID, formats=("uuid",), annotation="uuid.UUID | str", check="uuid", metavar="UUID",
            json_types="str", parser="UUID", struct_type="uuid.UUID",
            example="12345678-1234-5678-1234-567812345678",
        ),
        # Checked locally only: on the wire and in a response it is a str.
        FieldKind(
            EMAIL, formats=("email",), annotation="str", check="email", metavar="EMAIL",
            example="ada@example.com", **_STRING,
        ),
        FieldKind(
            # Any string is sent and kept: values added to the API later too.
            ENUM, annotation="{enum}", check="text", query_check="non_empty", json_types="str",
            json_check="type({v}) is str", struct_type="Literal[{values}]", self_contained=False,
        ),
        FieldKind(
            # Of text or enum values (users_sdk._input.fields: other items, any list).
            LIST, annotation="Sequence[{items}]", check="string_list", query_check="one_or_many",
            json_types="list", json_check="type({v}) is list", struct_type="list[{items}]",
            self_contained=False,
        ),
        FieldKind(
            MAP, annotation="Mapping[str, {items}]", check="string_map", metavar="KEY=VALUE",
            json_types="dict", json_check="type({v}) is dict", struct_type="dict[str, {items}]",
            self_contained=False, example={"label": "x"},
        ),
        FieldKind(
            MODEL, annotation="Mapping[str, Any]", check="body_mapping", metavar="JSON",
            json_types="dict", json_check="type({v}) is dict", struct_type="{model}",
            self_contained=False,
        ),
        # `format: binary`: a file the generated models read; nothing else handles it.
        FieldKind(BINARY, formats=("binary",)),
    )
}  # fmt: skip

# The kind of a JSON string with this `format` (any other string is text).
STRING_FORMATS: dict[str, str] = {
    format_: kind.name for kind in KINDS.values() for format_ in kind.formats
}
