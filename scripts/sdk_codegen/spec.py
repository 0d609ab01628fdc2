"""openapi.yaml read into the facts the SDK's generated support code is written from.

Names follow the generator's own rules (openapi_python_client.strings), so a
field here is the attribute the generated attrs model has, and a model name is
the class the generator wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.strings import ClassName, PythonIdentifier, snake_case

# The kinds of values (kinds.py says what each one is); renderers import them here too.
from .kinds import (  # noqa: F401
    DATE,
    EMAIL,
    ENUM,
    FLAG,
    INSTANT,
    INTEGER,
    LIST,
    MAP,
    MODEL,
    NUMBER,
    STRING_FORMATS,
    TEXT,
    UUID,
)

HTTP_METHODS = ("get", "put", "post", "patch", "delete")
FIELD_PREFIX = "field_"  # the generator's default for names that are not identifiers


class SpecError(Exception):
    """The spec uses a construct the generated support code does not handle."""


@dataclass(frozen=True)
class Value:
    """The kind of one field, parameter or array item."""

    kind: str
    nullable: bool = False
    enum: str | None = None  # ENUM: the enum schema's class name
    model: str | None = None  # MODEL, MAP: the model's class name
    items: Value | None = None  # LIST: the kind of each item; MAP: of each value
    secret: bool = False  # `format: password`: never to be shown
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    default: Any = None
    description: str = ""
    cli_name: str | None = None  # the `x-cli-name` extension: the command line's name for it


@dataclass(frozen=True)
class Field:
    json_name: str
    python_name: str
    value: Value
    required: bool


@dataclass(frozen=True)
class Model:
    name: str  # the generated class
    module: str  # its module in users_api_client.models
    fields: tuple[Field, ...]
    free_form: bool  # only additionalProperties (such as Metadata)
    values: Value | None = None  # the kind of its additionalProperties, when given


@dataclass(frozen=True)
class Enum:
    name: str
    values: tuple[str, ...]  # in spec order


@dataclass(frozen=True)
class Parameter:
    name: str  # as on the wire
    python_name: str
    location: str  # query, header, path
    value: Value
    required: bool
    many: bool  # an exploded array: one value or several


@dataclass(frozen=True)
class Operation:
    operation_id: str
    function: str  # snake_case, as the generated api module
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    body: str | None  # the request body's model name
    responses: tuple[str, ...]  # models of the JSON bodies it answers with
    tag: str = ""  # the first of its tags: the resource it belongs to
    summary: str = ""
    description: str = ""
    success: str | None = None  # the model of its first 2xx JSON answer; None: no body
    method_name: str | None = None  # the `x-sdk-method` extension, when given


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        schemas = document.get("components", {}).get("schemas", {})
        self.enums: dict[str, Enum] = {}
        self.models: dict[str, Model] = {}
        for name, schema in schemas.items():
            if "enum" in schema:
                self.enums[ClassName(name, FIELD_PREFIX)] = Enum(
                    ClassName(name, FIELD_PREFIX), tuple(schema["enum"])
                )
        for name, schema in schemas.items():
            if "allOf" in schema:
                raise SpecError(f"{name}: allOf is not supported; spell the properties out")
            if schema.get("type") == "object" or "properties" in schema:
                self.models[ClassName(name, FIELD_PREFIX)] = self._model(name, schema)
        self.operations = tuple(self._operations())

    @classmethod
    def load(cls, path: Path) -> Spec:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def operation(self, operation_id: str) -> Operation:
        return next(op for op in self.operations if op.operation_id == operation_id)

    def response_models(self) -> list[Model]:
        """Every model a response can hold, nested ones included, in spec order."""
        reached: set[str] = set()
        pending = [name for op in self.operations for name in op.responses]
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            if name not in self.models:
                raise SpecError(f"{name}: a response schema that is not an object")
            reached.add(name)
            for field in self.models[name].fields:
                value = field.value.items if field.value.kind == LIST else field.value
                if value is not None and value.model is not None:
                    pending.append(value.model)
        return [model for name, model in self.models.items() if name in reached]

    def request_models(self) -> list[Model]:
        names = {op.body for op in self.operations if op.body is not None}
        return [model for name, model in self.models.items() if name in names]

    # ---- reading ------------------------------------------------------------------

    def _resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The node a $ref points at, and the schema name when it is one."""
        name = None
        while "$ref" in node:
            reference = node["$ref"]
            if not reference.startswith("#/"):
                raise SpecError(f"only local $ref are supported, not {reference!r}")
            target: Any = self.document
            for part in reference.removeprefix("#/").split("/"):
                target = target[part]
            if reference.startswith("#/components/schemas/"):
                name = ClassName(reference.rsplit("/", 1)[1], FIELD_PREFIX)
            node = target
        return node, name

    def _model(self, name: str, schema: dict[str, Any]) -> Model:
        required = set(schema.get("required", []))
        fields = tuple(
            Field(
                json_name=json_name,
                python_name=PythonIdentifier(json_name, FIELD_PREFIX),
                value=self._value(property_schema, f"{name}.{json_name}"),
                required=json_name in required,
            )
            for json_name, property_schema in schema.get("properties", {}).items()
        )
        extra = schema.get("additionalProperties")
        return Model(
            name=ClassName(name, FIELD_PREFIX),
            module=snake_case(name),
            fields=fields,
            free_form=not fields and bool(extra),
            values=self._value(extra, f"{name}{{}}") if isinstance(extra, dict) else None,
        )

    def _value(self, node: dict[str, Any], where: str) -> Value:
        description = node.get("description", "")
        cli_name = node.get("x-cli-name")
        if cli_name is not None and not (
            isinstance(cli_name, str) and re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", cli_name)
        ):
            raise SpecError(f"{where}: x-cli-name must be a snake_case name, not {cli_name!r}")
        node, nullable_ref = _unwrap_null(node, where)
        schema, name = self._resolve(node)
        description = description or schema.get("description", "")
        if "allOf" in schema or "anyOf" in schema or "oneOf" in schema:
            raise SpecError(f"{where}: allOf, anyOf and oneOf are not supported (but X or null)")
        types = schema.get("type", "object" if "properties" in schema else None)
        type_list = types if isinstance(types, list) else [types]
        nullable = "null" in type_list or nullable_ref
        kinds = [t for t in type_list if t != "null"]
        if len(kinds) != 1:
            raise SpecError(f"{where}: a type of {types!r} is not supported")
        (json_type,) = kinds
        common: dict[str, Any] = {
            "nullable": nullable,
            "default": schema.get("default"),
            "description": " ".join(description.split()),
            "cli_name": cli_name,
        }
        if "enum" in schema:
            if json_type != "string" or name is None:
                raise SpecError(f"{where}: only named string enums are supported")
            return Value(ENUM, enum=name, **common)
        if json_type == "string":
            kind = STRING_FORMATS.get(schema.get("format", ""), TEXT)
            secret = schema.get("format") == "password"
            return Value(kind, min_length=schema.get("minLength"), secret=secret, **common)
        if json_type == "integer":
            return Value(
                INTEGER, minimum=schema.get("minimum"), maximum=schema.get("maximum"), **common
            )
        if json_type == "number":
            return Value(NUMBER, **common)
        if json_type == "boolean":
            return Value(FLAG, **common)
        if json_type == "array":
            return Value(LIST, items=self._value(schema["items"], f"{where}[]"), **common)
        if json_type == "object":
            if name is None:
                raise SpecError(f"{where}: an inline object; give it a name in components")
            properties = schema.get("properties")
            if properties:
                return Value(MODEL, model=name, **common)
            values = schema.get("additionalProperties")
            items = self._value(values, f"{where}{{}}") if isinstance(values, dict) else None
            return Value(MAP, model=name, items=items, **common)
        raise SpecError(f"{where}: type {json_type!r} is not supported")

    def _operations(self) -> Iterator[Operation]:
        for path, item in self.document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                operation = item[method]
                operation_id = operation["operationId"]
                # An operation's own parameter replaces the path item's of the same
                # name and location (OpenAPI's rule), in the path item's place.
                merged: dict[tuple[str, str], Parameter] = {}
                for raw in [*shared, *operation.get("parameters", [])]:
                    parameter = self._parameter(raw, operation_id)
                    merged[(parameter.name, parameter.location)] = parameter
                parameters = tuple(merged.values())
                body = None
                if "requestBody" in operation:
                    content, _ = self._resolve(operation["requestBody"])
                    media = content.get("content", {}).get("application/json")
                    if media is None:
                        raise SpecError(
                            f"{operation_id}: only an application/json body is supported"
                        )
                    _, body = self._resolve(media["schema"])
                    if body is None or body not in self.models:
                        raise SpecError(
                            f"{operation_id}: the request body must be a named object schema "
                            "(a $ref to components/schemas)"
                        )
                responses = []
                success = None
                for status, response in operation.get("responses", {}).items():
                    resolved, _ = self._resolve(response)
                    for media_type, media in resolved.get("content", {}).items():
                        if not media_type.endswith("json"):  # problem+json too
                            if str(status).startswith("2"):
                                raise SpecError(
                                    f"{operation_id}: a {status} answer of {media_type} is not "
                                    "supported yet (client.request() reaches it)"
                                )
                            continue
                        _, model = self._resolve(media["schema"])
                        if model is not None and model not in responses:
                            responses.append(model)
                        if success is None and str(status).startswith("2"):
                            if model is None:
                                raise SpecError(
                                    f"{operation_id}: a {status} answer must be a named schema"
                                )
                            success = model
                tags = operation.get("tags") or []
                yield Operation(
                    operation_id=operation_id,
                    function=snake_case(operation_id),
                    method=method.upper(),
                    path=path,
                    parameters=parameters,
                    body=body,
                    responses=tuple(responses),
                    tag=str(tags[0]) if tags else "",
                    summary=" ".join(str(operation.get("summary", "")).split()),
                    description=str(operation.get("description", "")).strip(),
                    success=success,
                    method_name=operation.get("x-sdk-method"),
                )

    def _parameter(self, raw: dict[str, Any], operation_id: str) -> Parameter:
        parameter, _ = self._resolve(raw)
        name = parameter["name"]
        value = self._value(
            {
                **parameter["schema"],
                "description": parameter.get("description", ""),
                "x-cli-name": parameter.get("x-cli-name"),
            },
            f"{operation_id}({name})",
        )
        many = value.kind == LIST
        if many and parameter.get("explode", parameter.get("style", "form") == "form") is False:
            raise SpecError(f"{operation_id}({name}): only exploded arrays are supported")
        return Parameter(
            name=name,
            python_name=PythonIdentifier(name, FIELD_PREFIX),
            location=parameter["in"],
            value=value,
            required=bool(parameter.get("required")),
            many=many,
        )


def _unwrap_null(node: dict[str, Any], where: str) -> tuple[dict[str, Any], bool]:
    """`anyOf: [X, {type: "null"}]` (OpenAPI 3.1's nullable $ref) as X, nullable."""
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list):
            others = [option for option in options if option != {"type": "null"}]
            if len(others) == 1 and len(options) == 2:
                return {**others[0], **{k: v for k, v in node.items() if k != key}}, True
    return node, False
