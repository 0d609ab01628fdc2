"""Recorded interactions checked against the spec users-sdk was generated from.

A cassette is stale when the API it was recorded from is no longer the API the
SDK speaks: an operation, a parameter or a status the spec no longer has, or a
response body the current schema refuses (a required field gone missing, an
enum value dropped). `Contract.check(exchange)` says which, in words a reader
can find in the cassette ("items[0]: 'email' is missing").

What is checked, and why not more:
- the operation (method and path), always;
- the status, against the operation's declared responses, always;
- the query and header parameters: their names, and their values when the
  answer was a success (a test may send a bad value on purpose, to see the 422);
- the response body, against the schema of its status and media type.
Request bodies are not checked: tests send invalid ones on purpose, and the
answer (checked) says what the server made of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .._json import loads
from ._schema_check import Check, Problem, SchemaCompiler
from ._scrub import PLACEHOLDER_VALUE

__all__ = ["Contract", "Exchange"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_REF_PREFIX = "#/"
_MAX_SHOWN = 3


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its answer, as a cassette holds them."""

    method: str
    uri: str
    request_headers: Mapping[str, str]  # lower-case names
    status: int
    response_headers: Mapping[str, str]
    response_body: bytes | str | None


@dataclass(frozen=True)
class _Parameter:
    name: str
    location: str  # "query", "header" or "path"
    required: bool
    array: bool  # form style, exploded: ?role=a&role=b
    kind: str  # its field kind (of the items, for an array): how its text reads as JSON
    check: Check


@dataclass(frozen=True)
class _Operation:
    label: str  # "GET /v1/users/{user_id}"
    parameters: tuple[_Parameter, ...]
    # status ("200", "4XX", "DEFAULT") -> media type -> body check (none: no body declared)
    responses: Mapping[str, Mapping[str, Check]]


class Contract:
    """The operations of one OpenAPI document, compiled for checking exchanges."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._compiler = SchemaCompiler(self._resolve, PLACEHOLDER_VALUE)
        # (method, path regex, operation): literal paths before templated ones,
        # so that /v1/users/me is not read as /v1/users/{user_id}.
        self._routes: list[tuple[str, re.Pattern[str], _Operation]] = []
        entries = []
        for template, item in document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in _METHODS:
                if method in item:
                    operation = self._operation(method, template, shared, item[method])
                    entries.append((template.count("{"), method.upper(), template, operation))
        for _, method, template, operation in sorted(entries, key=lambda e: e[0]):
            self._routes.append((method, _path_pattern(template), operation))

    def check(self, exchange: Exchange) -> tuple[str, list[str]]:
        """(the operation's label, what breaks the spec: empty when nothing does)."""
        parts = urlsplit(exchange.uri)
        method = exchange.method.upper()
        found = self._route(method, parts.path)
        if found is None:
            return f"{method} {parts.path}", [
                f"the spec has no operation {method} {parts.path}: it was removed or renamed"
            ]
        operation, path_values = found
        problems = self._status_and_body(operation, exchange)
        problems += self._parameters(
            operation, path_values, parts.query, exchange, check_values=exchange.status < 300
        )
        return operation.label, problems

    # ---- the spec -------------------------------------------------------------------

    def _resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith(_REF_PREFIX):
            raise ValueError(f"only local $refs are supported, not {ref!r}")
        node: Any = self._document
        for step in ref[len(_REF_PREFIX) :].split("/"):
            node = node[step.replace("~1", "/").replace("~0", "~")]
        return node  # type: ignore[no-any-return]

    def _deref(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            node = self._resolve(node["$ref"])
        return node

    def _operation(
        self,
        method: str,
        template: str,
        shared: Iterable[Mapping[str, Any]],
        spec: Mapping[str, Any],
    ) -> _Operation:
        by_key: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in (*shared, *spec.get("parameters", [])):
            parameter = self._deref(raw)  # the operation's own win over the path's
            by_key[(parameter["in"], parameter["name"])] = parameter
        parameters = tuple(
            self._parameter(location, name, parameter)
            for (location, name), parameter in by_key.items()
            if location in ("query", "header", "path")
        )
        responses: dict[str, dict[str, Check]] = {}
        for status, raw in spec.get("responses", {}).items():
            content = self._deref(raw).get("content", {})
            responses[str(status).upper()] = {
                media.lower(): self._compiler.build(body.get("schema", {}))
                for media, body in content.items()
            }
        return _Operation(f"{method.upper()} {template}", parameters, responses)

    def _parameter(self, location: str, name: str, spec: Mapping[str, Any]) -> _Parameter:
        schema = self._deref(spec.get("schema", {}))
        array = schema.get("type") == "array"
        if array:
            schema = self._deref(schema.get("items", {}))
        return _Parameter(
            name=name.lower() if location == "header" else name,
            location=location,
            required=bool(spec.get("required", location == "path")),
            array=array,
            kind=field_kind(schema),
            check=self._compiler.build(spec.get("schema", {})),
        )

    def _route(self, method: str, path: str) -> tuple[_Operation, dict[str, str]] | None:
        for route_method, pattern, operation in self._routes:
            if route_method == method:
                match = pattern.search(path)
                if match is not None:
                    return operation, {k: unquote(v) for k, v in match.groupdict().items()}
        return None

    # ---- one exchange ---------------------------------------------------------------

    def _status_and_body(self, operation: _Operation, exchange: Exchange) -> list[str]:
        status = str(exchange.status)
        for key in (status, f"{status[0]}XX", "DEFAULT"):
            media_types = operation.responses.get(key)
            if media_types is not None:
                break
        else:
            declared = ", ".join(sorted(operation.responses))
            return [
                f"status {status} is not a response of this operation (the spec has {declared})"
            ]
        body = exchange.response_body
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not body:
            return (
                []
                if not media_types or status == "204"
                else [
                    f"the {status} response has no body, the spec declares {', '.join(media_types)}"
                ]
            )
        media = exchange.response_headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in media_types:
            if not media_types:
                return [f"the {status} response has a body, the spec declares none"]
            return [
                f"the {status} response is {media or 'of no content type'}, "
                f"the spec declares {', '.join(media_types)}"
            ]
        check = media_types[media]
        if not media.endswith("json"):
            return []
        try:
            value = loads(body)
        except ValueError:
            return [f"the {status} response body is not JSON"]
        problems: list[Problem] = []
        check(value, (), problems)
        return _describe(problems, "response body")

    def _parameters(
        self,
        operation: _Operation,
        path_values: Mapping[str, str],
        query: str,
        exchange: Exchange,
        *,
        check_values: bool,
    ) -> list[str]:
        sent: dict[tuple[str, str], list[str]] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            sent.setdefault(("query", name), []).append(value)
        for name, value in path_values.items():
            sent[("path", name)] = [value]
        declared = {(p.location, p.name): p for p in operation.parameters}
        messages = [
            f"query parameter {name!r} is not in the spec"
            for location, name in sent
            if location == "query" and (location, name) not in declared
        ]
        for parameter in operation.parameters:
            if parameter.location == "header":
                header = exchange.request_headers.get(parameter.name)
                values = None if header is None else [header]
            else:
                values = sent.get((parameter.location, parameter.name))
            if values is None:
                if parameter.required:
                    messages.append(f"{parameter.location} parameter {parameter.name!r} is missing")
                continue
            if not check_values:
                continue
            problems: list[Problem] = []
            read = [_from_text(item, parameter.kind) for item in values]
            parameter.check(read if parameter.array else read[-1], (parameter.name,), problems)
            messages += _describe(problems, f"{parameter.location} parameter")
        return messages


def field_kind(schema: Mapping[str, Any]) -> str:
    """The kind of a scalar schema, in the words of the generator's kinds
    (users_api_client.sdk.params.KINDS) and the reference server's: one
    vocabulary, which tests/guards/test_kind_vocabulary.py holds the three
    readers of openapi.yaml to. An object or an array is not a query value."""
    types = schema.get("type", "string")
    if isinstance(types, list):  # [X, "null"]: a nullable X
        types = next((t for t in types if t != "null"), "string")
    if "enum" in schema:
        return "enum"
    if types == "string":
        return _STRING_FORMATS.get(schema.get("format", ""), "text")
    return _SCALAR_KINDS.get(types, "text")


_STRING_FORMATS = {"date-time": "instant", "date": "date", "uuid": "uuid", "email": "email"}
_SCALAR_KINDS = {"integer": "integer", "number": "number", "boolean": "flag"}


def _from_text(text: str, kind: str) -> Any:
    """A parameter's text as the JSON value its kind reads it as; text that does
    not read as that kind stays text, so the type check names it."""
    try:
        if kind == "integer" and re.fullmatch(r"-?\d+", text):
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text
    if kind == "flag" and text in ("true", "false"):
        return text == "true"
    return text


def _path_pattern(template: str) -> re.Pattern[str]:
    pattern = ""
    for literal, name in re.findall(r"([^{]*)(?:\{([^}]+)\})?", template):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P<{name}>[^/]+)"
    # Anchored at the end only (templates start with "/"): a base URL may put the
    # API under a path prefix.
    return re.compile(pattern + "$")


def _describe(problems: list[Problem], what: str) -> list[str]:
    messages = [problem.describe(f"the {what}") for problem in problems[:_MAX_SHOWN]]
    if len(problems) > _MAX_SHOWN:
        messages.append(f"and {len(problems) - _MAX_SHOWN} more problems in the {what}")
    return messages
