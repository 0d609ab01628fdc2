"""openapi.yaml, read once: the one declaration of the user's fields.

The server builds its users table, its wire format and its request validation
from what this module reads: the fields of the `User` schema, the properties
of `UserCreate`, `UserUpdate`, `PasswordResetRequest` and `PasswordSet` with
their constraints, the values of the `UserRole` and `UserStatus` enums, and
the query parameters of `listUsers`, and every operation's method, path and
operationId (what `http/unimplemented.py` answers 501 for). Reading them
here, instead of restating them in code, is what lets an additive spec change
be served without an edit. The values it gives are those of `declarations.py`;
which file it reads, unless told, is `location.py`'s answer.

Only local `#/components/...` refs are used by the spec, and only those are
resolved. A schema the server could not store or validate (a number, an array
of objects, a union) is a `SpecError` at start, not a surprise at the first
request that uses it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# No stubs for pyyaml in this environment (types-PyYAML is not a dependency).
import yaml  # type: ignore[import-untyped]

from .declarations import (
    STRING_FORMATS,
    ApiSchema,
    Limits,
    Operation,
    Property,
    QueryParameters,
    SpecError,
)
from .location import locate_spec

# libyaml's loader when installed: the pure-Python one takes ~10x longer on this spec.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REF_PREFIX = "#/components/"
# The HTTP methods an OpenAPI path item may hold operations under.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load_schema(path: Path | None = None) -> ApiSchema:
    """The declarations of the spec at `path` (default: `locate_spec()`).

    Cached per file version: every app a test suite creates shares one parse.
    """
    spec = (path or locate_spec()).resolve()
    try:
        stat = spec.stat()
    except OSError as exc:
        raise SpecError(f"cannot read the spec {spec}: {exc}") from None
    return _load(spec, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, size: int) -> ApiSchema:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeError, yaml.YAMLError) as exc:
        raise SpecError(f"cannot read the spec {path}: {exc}") from None
    if not isinstance(document, dict):
        raise SpecError(f"the spec {path} is not a YAML mapping")
    reader = _Reader(document)
    return ApiSchema(
        path=path,
        user=reader.properties("User"),
        user_create=reader.properties("UserCreate"),
        user_update=reader.properties("UserUpdate"),
        password_reset_request=reader.properties("PasswordResetRequest"),
        password_set=reader.properties("PasswordSet"),
        roles=reader.enum("UserRole"),
        statuses=reader.enum("UserStatus"),
        list_users=reader.query("listUsers"),
        headers=reader.header_limits(),
        operations=reader.operations(),
    )


class _Reader:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document

    def properties(self, schema_name: str) -> tuple[Property, ...]:
        schema = self._resolve({"$ref": f"{_REF_PREFIX}schemas/{schema_name}"})
        properties = schema.get("properties")
        if schema.get("type") != "object" or not isinstance(properties, dict):
            raise SpecError(f"{schema_name} is not an object schema with properties")
        required = set(schema.get("required", ()))
        return tuple(
            self._property(f"{schema_name}.{name}", name, prop, name in required)
            for name, prop in properties.items()
        )

    def enum(self, schema_name: str) -> tuple[str, ...]:
        schema = self._resolve({"$ref": f"{_REF_PREFIX}schemas/{schema_name}"})
        values = _limits(schema_name, schema).enum
        if not values:
            raise SpecError(f"{schema_name} has no enum of strings")
        return values

    def query(self, operation_id: str) -> QueryParameters:
        """The operation's `in: query` parameters, `$ref`s to `#/components/parameters` followed."""
        path_item, operation = self._operation(operation_id)
        declared: dict[str, dict[str, Any]] = {}
        # The path's parameters first; the operation's own replace those of the same name.
        for raw in [*path_item.get("parameters", ()), *operation.get("parameters", ())]:
            parameter = self._resolve(raw)
            if parameter.get("in") == "query" and isinstance(parameter.get("name"), str):
                declared[parameter["name"]] = parameter
        parameters: list[Property] = []
        unreadable: dict[str, str] = {}
        for name, parameter in declared.items():
            try:
                parameters.append(self._parameter(f"{operation_id}.{name}", name, parameter))
            except SpecError as exc:
                unreadable[name] = str(exc)
        return QueryParameters(operation_id, tuple(parameters), unreadable)

    def header_limits(self) -> dict[str, Limits]:
        components = (self._document.get("components") or {}).get("parameters") or {}
        return {
            parameter["name"].lower(): _limits(f"parameters.{key}", parameter.get("schema") or {})
            for key, parameter in components.items()
            if isinstance(parameter, dict)
            and parameter.get("in") == "header"
            and isinstance(parameter.get("name"), str)
        }

    def operations(self) -> tuple[Operation, ...]:
        default = self._document.get("security") or []
        found: list[Operation] = []
        for path, path_item in (self._document.get("paths") or {}).items():
            if not isinstance(path_item, dict):
                continue
            for method in HTTP_METHODS:
                operation = path_item.get(method)
                if not isinstance(operation, dict):
                    continue
                security = operation.get("security", default)
                # An empty requirement object means "no credential" is one of the choices.
                public = not security or any(requirement == {} for requirement in security)
                operation_id = operation.get("operationId")
                if not isinstance(operation_id, str):
                    operation_id = None
                found.append(Operation(operation_id, method.upper(), str(path), public))
        return tuple(found)

    def _operation(self, operation_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for path_item in (self._document.get("paths") or {}).values():
            for operation in path_item.values() if isinstance(path_item, dict) else ():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return path_item, operation
        raise SpecError(f"the spec has no operation {operation_id}")

    def _parameter(self, where: str, name: str, parameter: Mapping[str, Any]) -> Property:
        if "schema" not in parameter:
            raise SpecError(f"{where}: only a parameter with a `schema` is supported")
        prop = self._property(where, name, parameter["schema"], bool(parameter.get("required")))
        # Repeated `role=a&role=b` is the only array form FastAPI reads (form, exploded).
        form = parameter.get("style", "form") == "form" and parameter.get("explode", True)
        if prop.kind == "list" and not form:
            raise SpecError(f"{where}: only an exploded form array is supported")
        return prop

    def _property(self, where: str, name: str, raw: Any, required: bool) -> Property:
        schema, nullable = self._unwrap_null(where, self._resolve(raw))
        types = [t for t in _types(schema) if t != "null"]
        if len(types) != 1:
            raise SpecError(f"{where}: expected one type besides null, found {types or 'none'}")
        common: dict[str, Any] = {"name": name, "nullable": nullable, "required": required}
        if "default" in schema:
            common |= {"has_default": True, "default": schema["default"]}
        kind = types[0]
        if kind == "string":
            limits = _limits(where, schema)
            # As the generator decides: an enum first, whatever its format.
            if limits.enum is not None:
                return Property(kind="enum", limits=limits, **common)
            text = STRING_FORMATS.get(schema.get("format", ""), "text")
            return Property(kind=text, limits=limits, **common)
        if kind == "integer":
            return Property(kind="integer", limits=_limits(where, schema), **common)
        if kind == "boolean":
            return Property(kind="flag", **common)
        if kind == "array":
            items = self._strings(f"{where}.items", schema.get("items"))
            return Property(
                kind="list",
                limits=items,
                min_items=schema.get("minItems"),
                max_items=schema.get("maxItems"),
                **common,
            )
        if kind == "object" and "properties" not in schema:
            values = self._strings(f"{where}.values", schema.get("additionalProperties"))
            return Property(
                kind="map",
                limits=values,
                min_items=schema.get("minProperties"),
                max_items=schema.get("maxProperties"),
                **common,
            )
        raise SpecError(f"{where}: a {kind} schema is not supported by the reference server")

    def _strings(self, where: str, raw: Any) -> Limits:
        """The constraints of an array's items or a map's values, which must be plain strings."""
        schema = self._resolve(raw)
        if _types(schema) != ["string"] or schema.get("format") == "date-time":
            raise SpecError(f"{where}: only non-null strings are supported here")
        return _limits(where, schema)

    def _unwrap_null(self, where: str, schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """`anyOf`/`oneOf` of a schema and `{type: "null"}` (a nullable $ref) -> (schema, True)."""
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                options = [self._resolve(option) for option in schema[keyword]]
                others = [option for option in options if _types(option) != ["null"]]
                if len(options) != 2 or len(others) != 1:
                    raise SpecError(f"{where}: only {keyword} of a schema and null is supported")
                siblings = {k: v for k, v in schema.items() if k != keyword}
                return {**others[0], **siblings}, True
        return schema, "null" in _types(schema)

    def _resolve(self, raw: Any) -> dict[str, Any]:
        """Follow `$ref`s; keywords beside a `$ref` (allowed in OpenAPI 3.1) win over its target."""
        schema = raw
        seen: set[str] = set()
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith(_REF_PREFIX) or ref in seen:
                raise SpecError(f"cannot resolve $ref {ref!r} (only local #/components/ refs)")
            seen.add(ref)
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**self._lookup(ref), **siblings}
        if not isinstance(schema, dict):
            raise SpecError(f"expected a schema object, found {schema!r}")
        return schema

    def _lookup(self, ref: str) -> dict[str, Any]:
        node: Any = self._document
        # A JSON pointer: `~1` is `/` and `~0` is `~` inside a step.
        for step in ref.removeprefix("#/").split("/"):
            step = step.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or step not in node:
                raise SpecError(f"$ref {ref!r} points at nothing")
            node = node[step]
        if not isinstance(node, dict):
            raise SpecError(f"$ref {ref!r} is not a schema object")
        return node


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def _limits(where: str, schema: Mapping[str, Any]) -> Limits:
    enum = schema.get("enum")
    if enum is not None and not (
        isinstance(enum, list) and enum and all(isinstance(value, str) for value in enum)
    ):
        raise SpecError(f"{where}: only an enum of strings is supported")
    return Limits(
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        pattern=schema.get("pattern"),
        email=schema.get("format") == "email",
        enum=tuple(enum) if enum is not None else None,
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
    )
