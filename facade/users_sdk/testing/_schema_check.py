"""JSON Schema checks (the OpenAPI 3.1 subset the spec uses), compiled once per schema.

`SchemaCompiler(resolve).build(schema)` turns a schema into a function that appends a
`Problem` for each way a value breaks it. The record/replay plugin runs one per
recorded body, so the checks are closures built once (a `$ref` is compiled
once, however often it is used), and a path is only formatted for a problem.

`Problem.describe()` names the field the way a reader of a cassette looks for
it: "items[0]: 'email' is missing", "'role' is 'superuser', not one of: owner, admin".
Keywords this module does not know (descriptions, examples, unknown formats)
are ignored rather than refused: the spec can use them freely.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Check", "Problem", "SchemaCompiler"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One way a value breaks its schema: where (a JSON path) and what ("is missing")."""

    path: Path
    detail: str

    def describe(self, whole: str = "the value") -> str:
        """ "items[0]: 'email' is missing", "role[1] is 'boss', not one of: ...";
        `whole` names the value itself (an empty path)."""
        if not self.path:
            return f"{whole} {self.detail}"
        last = self.path[-1]
        if isinstance(last, int):
            return f"{_where(self.path)} {self.detail}"
        parent = _where(self.path[:-1])
        return f"{parent}: {last!r} {self.detail}" if parent else f"{last!r} {self.detail}"


def _where(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


# check(value, path, problems): appends to problems, returns nothing.
Check = Callable[[Any, Path, list[Problem]], None]
Resolve = Callable[[str], Mapping[str, Any]]

_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    # JSON has one number type; a bool is not one (Python says it is an int).
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _is_date_time(text: str) -> bool:
    # RFC 3339: the shape (an offset is required), then real ranges (no month 13).
    if _DATE_TIME.fullmatch(text) is None:
        return False
    try:
        dt.datetime.fromisoformat(text.upper())
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


_FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "uuid": _is_uuid,
    "email": lambda text: "@" in text[1:-1],
}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class SchemaCompiler:
    """Compiles the schemas of one document; each `$ref` is compiled once for all."""

    def __init__(self, resolve: Resolve, placeholder: re.Pattern[str] | None = None) -> None:
        self._resolve = resolve
        self._refs: dict[str, Check] = {}
        # Strings that stand for a value removed on purpose (a scrubbed field):
        # they say nothing about the schema, so every check lets them pass.
        self._placeholder = placeholder

    def build(self, schema: Mapping[str, Any] | bool) -> Check:
        check = self._build(schema)
        placeholder = self._placeholder
        if placeholder is None or check is _accept:
            return check

        def unless_placeholder(value: Any, path: Path, problems: list[Problem]) -> None:
            if not (isinstance(value, str) and placeholder.fullmatch(value)):
                check(value, path, problems)

        return unless_placeholder

    def _build(self, schema: Mapping[str, Any] | bool) -> Check:
        if schema is True or schema == {}:
            return _accept
        if schema is False:
            return _refuse
        assert isinstance(schema, Mapping)
        checks = [check for check in self._keyword_checks(schema) if check is not _accept]
        if not checks:
            return _accept
        if len(checks) == 1:
            return checks[0]

        def all_of(value: Any, path: Path, problems: list[Problem]) -> None:
            for check in checks:
                check(value, path, problems)

        return all_of

    def _ref(self, ref: str) -> Check:
        compiled = self._refs.get(ref)
        if compiled is None:
            # Set before compiling: a recursive schema refers to itself through this.
            slot: list[Check] = []
            self._refs[ref] = lambda value, path, problems: slot[0](value, path, problems)
            compiled = self.build(self._resolve(ref))
            slot.append(compiled)
            self._refs[ref] = compiled
        return compiled

    def _keyword_checks(self, schema: Mapping[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        if "type" in schema:
            checks.append(_type_check(schema["type"], schema.get("nullable", False)))
        if "enum" in schema:
            checks.append(_enum_check(tuple(schema["enum"])))
        if "const" in schema:
            checks.append(_enum_check((schema["const"],)))
        checks += _string_checks(schema)
        checks += _number_checks(schema)
        if "items" in schema or "minItems" in schema or "maxItems" in schema:
            checks.append(self._array_check(schema))
        if any(key in schema for key in _OBJECT_KEYWORDS):
            checks.append(self._object_check(schema))
        for keyword, combine in (("anyOf", _any_of), ("oneOf", _one_of)):
            if keyword in schema:
                checks.append(combine([self.build(option) for option in schema[keyword]]))
        for part in schema.get("allOf", ()):
            checks.append(self.build(part))
        if "if" in schema:
            checks.append(self._conditional(schema))
        return checks

    def _array_check(self, schema: Mapping[str, Any]) -> Check:
        items = self.build(schema.get("items", True))
        low, high = schema.get("minItems", 0), schema.get("maxItems", math.inf)

        def array(value: Any, path: Path, problems: list[Problem]) -> None:
            if not isinstance(value, list):
                return  # the type check speaks for it
            if not low <= len(value) <= high:
                problems.append(Problem(path, f"has {len(value)} items, {_bounds(low, high)}"))
            if items is not _accept:
                for index, item in enumerate(value):
                    items(item, (*path, index), problems)

        return array

    def _object_check(self, schema: Mapping[str, Any]) -> Check:
        properties = {name: self.build(sub) for name, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check = self.build(extra) if isinstance(extra, Mapping) else None
        closed = extra is False
        low, high = schema.get("minProperties", 0), schema.get("maxProperties", math.inf)

        def obj(value: Any, path: Path, problems: list[Problem]) -> None:
            if not isinstance(value, dict):
                return
            for name in required:
                if name not in value:
                    problems.append(Problem((*path, name), "is missing"))
            if not low <= len(value) <= high:
                problems.append(Problem(path, f"has {len(value)} keys, {_bounds(low, high)}"))
            for name, item in value.items():
                check = properties.get(name)
                if check is not None:
                    if check is not _accept:
                        check(item, (*path, name), problems)
                elif closed:
                    problems.append(Problem((*path, name), "is not in the spec"))
                elif extra_check is not None:
                    extra_check(item, (*path, name), problems)

        return obj

    def _conditional(self, schema: Mapping[str, Any]) -> Check:
        condition = self.build(schema["if"])
        then = self.build(schema.get("then", True))
        otherwise = self.build(schema.get("else", True))

        def conditional(value: Any, path: Path, problems: list[Problem]) -> None:
            probe: list[Problem] = []
            condition(value, path, probe)
            (otherwise if probe else then)(value, path, problems)

        return conditional


_OBJECT_KEYWORDS = (
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
)


def _accept(value: Any, path: Path, problems: list[Problem]) -> None:
    return None


def _refuse(value: Any, path: Path, problems: list[Problem]) -> None:
    problems.append(Problem(path, "is not allowed"))


def _bounds(low: float, high: float) -> str:
    if high == math.inf:
        return f"expected at least {low}"
    return f"expected at most {high}" if low == 0 else f"expected {low} to {high}"


def _type_check(declared: str | list[str], nullable: bool) -> Check:
    names = [declared] if isinstance(declared, str) else list(declared)
    if nullable and "null" not in names:
        names.append("null")  # OpenAPI 3.0's spelling of ["...", "null"]
    tests = tuple(_JSON_TYPES[name] for name in names if name in _JSON_TYPES)
    expected = " or ".join(_TYPE_NAMES.get(name, name) for name in names)

    def type_check(value: Any, path: Path, problems: list[Problem]) -> None:
        for test in tests:
            if test(value):
                return
        problems.append(Problem(path, f"is {_show(value)}, expected {expected}"))

    return type_check


def _enum_check(values: tuple[Any, ...]) -> Check:
    shown = ", ".join("null" if v is None else str(v) for v in values)

    def enum(value: Any, path: Path, problems: list[Problem]) -> None:
        for allowed in values:
            # JSON's true is not 1, though Python's True == 1.
            if value == allowed and isinstance(value, bool) == isinstance(allowed, bool):
                return
        problems.append(Problem(path, f"is {_show(value)}, not one of: {shown}"))

    return enum


def _string_checks(schema: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    low, high = schema.get("minLength", 0), schema.get("maxLength", math.inf)
    if low or high != math.inf:

        def length(value: Any, path: Path, problems: list[Problem]) -> None:
            if isinstance(value, str) and not low <= len(value) <= high:
                problems.append(Problem(path, f"has {len(value)} characters, {_bounds(low, high)}"))

        checks.append(length)
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])

        def matches(value: Any, path: Path, problems: list[Problem]) -> None:
            if isinstance(value, str) and pattern.search(value) is None:
                problems.append(
                    Problem(
                        path,
                        f"is {_show(value)}, which does not match {pattern.pattern!r}",
                    )
                )

        checks.append(matches)
    test = _FORMATS.get(schema.get("format", ""))
    if test is not None:
        name = schema["format"]

        def formatted(value: Any, path: Path, problems: list[Problem]) -> None:
            if isinstance(value, str) and not test(value):
                problems.append(Problem(path, f"is {_show(value)}, not a {name}"))

        checks.append(formatted)
    return checks


def _number_checks(schema: Mapping[str, Any]) -> list[Check]:
    low, high = schema.get("minimum", -math.inf), schema.get("maximum", math.inf)
    if low == -math.inf and high == math.inf:
        return []

    def bounded(value: Any, path: Path, problems: list[Problem]) -> None:
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not (low <= value <= high)
        ):
            problems.append(Problem(path, f"is {value}, outside {low} to {high}"))

    return [bounded]


def _any_of(options: list[Check]) -> Check:
    def any_of(value: Any, path: Path, problems: list[Problem]) -> None:
        found: list[Problem] = []
        for option in options:
            attempt: list[Problem] = []
            option(value, path, attempt)
            if not attempt:
                return
            found = found or attempt
        problems.extend(found)  # the first option's reasons: usually the non-null one

    return any_of


def _one_of(options: list[Check]) -> Check:
    def one_of(value: Any, path: Path, problems: list[Problem]) -> None:
        passing = 0
        first: list[Problem] = []
        for option in options:
            attempt: list[Problem] = []
            option(value, path, attempt)
            passing += not attempt
            first = first or attempt
        if passing == 0:
            problems.extend(first)
        elif passing > 1:
            problems.append(Problem(path, f"matches {passing} oneOf options"))

    return one_of
