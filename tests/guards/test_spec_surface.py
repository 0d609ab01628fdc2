"""Everything openapi.yaml states reaches the facade's typed surface.

Read from the spec itself (not from what `make generate` wrote), so a field,
enum value, model or listUsers parameter that the typed surface misses fails
here by name, whatever the generation step did with it.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import typing
from pathlib import Path
from typing import Any

import attrs
import httpx2
import pytest
import yaml

import users_sdk
from users_api_client import models as generated_models
from users_api_client.sdk.resources.users import AsyncUsers, Users
from users_sdk import AsyncUsersClient, UsersClient

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def list_users_parameters() -> list[dict[str, Any]]:
    operation = SPEC["paths"]["/v1/users"]["get"]
    return [
        parameter
        for parameter in map(resolve, operation.get("parameters", []))
        if parameter["in"] == "query"
    ]


def keywords(method: Any) -> dict[str, str]:
    """A method's keyword-only parameters and their annotations, as help() shows them."""
    return {
        p.name: str(p.annotation)
        for p in inspect.signature(method).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


@pytest.mark.parametrize(
    ("method", "schema"),
    [
        (Users.create, "UserCreate"),
        (AsyncUsers.create, "UserCreate"),
        (Users.update, "UserUpdate"),
        (AsyncUsers.update, "UserUpdate"),
    ],
)
def test_every_body_field_is_a_typed_keyword_argument(method: Any, schema: str) -> None:
    missing = sorted(set(SCHEMAS[schema]["properties"]) - set(keywords(method)))
    assert missing == [], f"{method.__qualname__} has no keyword argument for {missing}"


@pytest.mark.parametrize("method", [Users.list, AsyncUsers.list])
def test_every_list_users_parameter_is_a_typed_keyword_argument(method: Any) -> None:
    missing = sorted({p["name"] for p in list_users_parameters()} - set(keywords(method)))
    assert missing == [], f"{method.__qualname__} has no keyword argument for {missing}"


def holds_a_password(schema: dict[str, Any]) -> bool:
    return any(
        resolve(p).get("format") == "password" for p in schema.get("properties", {}).values()
    )


EXPORTED = [name for name, schema in SCHEMAS.items() if not holds_a_password(schema)]


def test_every_schema_of_the_spec_is_exported() -> None:
    """As the generated model itself (a hand-written name of the same spelling,
    such as users_sdk.ValidationError, would hide it); a model that holds a
    password is not exported, since its repr() would show it."""
    missing = sorted(set(EXPORTED) - set(users_sdk.__all__))
    assert missing == [], f"users_sdk does not export {missing}"
    for name in EXPORTED:
        if "enum" in SCHEMAS[name]:
            assert getattr(users_sdk, name) == getattr(generated_models, name), name
        else:
            assert getattr(users_sdk, name) is getattr(generated_models, name), name
    secret = [name for name in SCHEMAS if name not in EXPORTED]
    assert "PasswordSet" in secret  # the check above can fail
    assert not set(secret) & set(users_sdk.__all__)


@pytest.mark.parametrize("name", [n for n, s in SCHEMAS.items() if "enum" in s])
def test_every_enum_value_is_in_its_literal(name: str) -> None:
    literal = getattr(users_sdk, name)
    assert typing.get_origin(literal) is typing.Literal
    missing = [value for value in SCHEMAS[name]["enum"] if value not in typing.get_args(literal)]
    assert missing == [], f"users_sdk.{name} lacks {missing}"


@pytest.mark.parametrize(
    "name", [n for n, s in SCHEMAS.items() if s.get("type") == "object" and "properties" in s]
)
def test_every_model_field_is_an_attribute(name: str) -> None:
    fields = {field.alias for field in attrs.fields(getattr(generated_models, name))}
    # The generator renames a field that is not an identifier (type -> type_).
    fields |= {alias.rstrip("_") for alias in fields}
    missing = sorted(set(SCHEMAS[name]["properties"]) - fields)
    assert missing == [], f"users_sdk.{name} has no attribute for {missing}"


def sample(schema: dict[str, Any]) -> tuple[Any, list[str]]:
    """A value for a query parameter and how it must appear on the wire."""
    schema = resolve(schema)
    if schema.get("type") == "array":
        item = resolve(schema["items"])
        values = item.get("enum", ["x1", "x2"])[:2]
        return list(values), [str(v) for v in values]
    if "enum" in schema:
        return schema["enum"][0], [schema["enum"][0]]
    if schema.get("format") == "date-time":
        return "2026-01-02T03:04:05Z", ["2026-01-02T03:04:05+00:00"]
    if schema.get("type") == "integer":
        value = schema.get("minimum", 1)
        return value, [str(value)]
    if schema.get("type") == "boolean":
        return True, ["true"]
    return "abc", ["abc"]


def sent_query(call: Any) -> httpx2.QueryParams:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        page = {"items": [], "limit": 1, "next_cursor": None, "previous_cursor": None}
        return httpx2.Response(200, json=page)

    call(httpx2.MockTransport(handler))
    (request,) = sent
    return request.url.params


@pytest.mark.parametrize("parameter", list_users_parameters(), ids=lambda p: p["name"])
def test_every_list_users_parameter_is_sent_on_the_wire(parameter: dict[str, Any]) -> None:
    name = parameter["name"]
    value, expected = sample(parameter["schema"])

    def sync(transport: httpx2.MockTransport) -> None:
        http = httpx2.Client(transport=transport)
        with UsersClient(base_url="http://users.test", token="t", http_client=http) as client:
            client.users.list(**{name: value})
        http.close()

    def async_(transport: httpx2.MockTransport) -> None:
        async def main() -> None:
            http = httpx2.AsyncClient(transport=transport)
            async with AsyncUsersClient(
                base_url="http://users.test", token="t", http_client=http
            ) as client:
                await client.users.list(**{name: value})
            await http.aclose()

        asyncio.run(main())

    for call in (sync, async_):
        assert sent_query(call).get_list(name) == expected, call.__name__


def body_sample(schema: dict[str, Any]) -> Any:
    """A value for a request body field, as it must appear in the JSON body."""
    schema = resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kinds = [t for t in ([schema["type"]] if isinstance(schema.get("type"), str) else
                         schema.get("type", ["object"])) if t != "null"]  # fmt: skip
    samples = {"string": "abc", "integer": 3, "number": 1.5, "boolean": True, "object": {"k": "v"}}
    if kinds[0] == "array":
        return [body_sample(schema["items"])]
    if kinds[0] == "string" and schema.get("format") == "email":
        return "ada@example.com"  # checked locally: "abc" would never be sent
    return samples[kinds[0]]


@pytest.mark.parametrize(
    ("operation", "schema"), [("create", "UserCreate"), ("update", "UserUpdate")]
)
def test_every_body_field_is_sent_on_the_wire(operation: str, schema: str) -> None:
    fields = {name: body_sample(prop) for name, prop in SCHEMAS[schema]["properties"].items()}
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(418)

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    client = UsersClient(base_url="http://users.test", token="t", max_retries=0, http_client=http)

    def send(name: str, value: Any) -> None:
        if operation == "create":
            client.users.create(**{"email": "ada@example.com", name: value})
        else:
            client.users.update("usr_1", **{name: value})

    for name, value in fields.items():
        with pytest.raises(users_sdk.APIStatusError):
            send(name, value)
        assert json.loads(sent[-1].content)[name] == value, name
    http.close()
