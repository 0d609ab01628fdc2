"""Every operation of openapi.yaml is a method of both clients, and puts on the
wire what the spec says: a contract test per operation, with no hand edit.

The cases come from the spec itself: each operationId, its method and path,
its parameters and body fields (a sample value of each one's kind), and the
model it answers with (a sample answer). Each method is called with every
argument it takes, through httpx2.MockTransport, sync and async; the test
checks the method, path, query, headers and body sent, and the parsed result.
An operation the spec gains is checked here after `make generate`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest

from users_sdk import AsyncPage, AsyncUsersClient, SyncPage, UsersClient

from .test_spec_surface import SPEC as SPEC_DOCUMENT
from .test_spec_surface import resolve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.methods import methods  # noqa: E402
from sdk_codegen.spec import Spec, Value  # noqa: E402

SPEC = Spec.load(ROOT / "openapi.yaml")
METHODS = {method.operation.operation_id: method for method in methods(SPEC)}
INSTANT = "2026-01-01T00:00:00+00:00"


# The spec as PyYAML reads it, and its $ref resolver (shared with the surface guard).
DOCUMENT = SPEC_DOCUMENT
_resolve = resolve


def _raw_operations() -> dict[str, tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """operationId -> (method, path, operation, parameters), read with PyYAML
    alone: the expectations do not come from the generator's reading of the spec."""
    found = {}
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                parameters = [
                    _resolve(p)
                    for p in [*item.get("parameters", []), *operation.get("parameters", [])]
                ]
                found[operation["operationId"]] = (method.upper(), path, operation, parameters)
    return found


RAW = _raw_operations()


def _schema_name(media: dict[str, Any]) -> str:
    """The components/schemas name a media type's schema refers to."""
    return str(media["schema"]["$ref"]).rsplit("/", 1)[1]


def _operation_ids() -> list[str]:
    return list(RAW)


def sample(value: Value) -> Any:
    """A value of this kind, as a caller passes it and as JSON carries it."""
    if value.kind == "enum":
        return SPEC.enums[str(value.enum)].values[0]
    if value.kind == "list":
        assert value.items is not None
        return [sample(value.items)]
    if value.kind == "model":
        return sample_model(str(value.model))
    return {
        "text": "x1".ljust(value.min_length or 0, "x"),
        "email": "ada@example.com",
        "integer": value.minimum if value.minimum is not None else 1,
        "number": 1.5,
        "flag": True,
        "instant": INSTANT,
        "date": "2026-01-31",
        "uuid": "12345678-1234-5678-1234-567812345678",
        "map": {"k": "v"},
    }[value.kind]


def sample_model(name: str) -> dict[str, Any]:
    model = SPEC.models[name]
    return {field.json_name: sample(field.value) for field in model.fields}


def on_the_wire(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [json.dumps(v) if isinstance(v, bool) else str(v) for v in values]


class Case:
    """The arguments of one method, and what the spec (read as YAML) says they
    become on the wire. Only the sample values come from the kinds."""

    def __init__(self, operation_id: str) -> None:
        self.method = METHODS[operation_id]
        http_method, path, raw, parameters = RAW[operation_id]
        self.http_method = http_method
        kinds = {p.name: p.value for p in SPEC.operation(operation_id).parameters}
        self.args: list[Any] = []
        self.kwargs: dict[str, Any] = {}
        self.query: dict[str, list[str]] = {}
        self.headers: dict[str, str] = {}
        self.path = path
        for parameter in parameters:
            name, where = parameter["name"], parameter["in"]
            if where == "path":
                self.args.append(f"id_{name}")
                self.path = self.path.replace("{" + name + "}", f"id_{name}")
            elif where == "query":
                value = sample(kinds[name])
                self.kwargs[name] = value
                self.query[name] = on_the_wire(value)
            elif name.lower() == "if-match":
                self.kwargs["if_match"], self.headers[name] = 3, '"3"'
            else:
                self.kwargs[name.lower().replace("-", "_")] = self.headers[name] = "key-1"
        self.body: dict[str, Any] | None = None
        if "requestBody" in raw:
            body_name = _schema_name(_resolve(raw["requestBody"])["content"]["application/json"])
            schema = DOCUMENT["components"]["schemas"][body_name]
            self.body = sample_model(body_name)
            assert list(self.body) == list(schema["properties"])
            if set(schema.get("required", [])) == set(schema["properties"]):
                self.args += list(self.body.values())  # every field required: positional
            else:
                self.kwargs.update(self.body)
        self.answer: Any = None
        self.second: Any = None
        self.returns: str | None = None
        answer = next(
            (r for status, r in raw["responses"].items() if str(status).startswith("2")), {}
        )
        content = _resolve(answer).get("content", {}).get("application/json")
        if content is not None:
            self.returns = _schema_name(content)
            self.answer = sample_model(self.returns)
            if self.method.page is not None:
                item = sample_model(self.method.page.item)
                self.answer.update(items=[item], next_cursor="c2", previous_cursor=None)
                self.second = {**self.answer, "next_cursor": None, "previous_cursor": "c1"}

    def respond(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(request)
        if self.answer is None:
            return httpx2.Response(204)
        if len(self.sent) > 1:
            return httpx2.Response(200, json=self.second)
        return httpx2.Response(200, json=self.answer)

    def check_sent(self) -> None:
        request = self.sent[0]
        assert request.method == self.http_method
        assert request.url.path == self.path
        query = {name: request.url.params.get_list(name) for name in request.url.params}
        assert query == self.query
        for name, value in self.headers.items():
            assert request.headers[name] == value, name
        if self.http_method in ("POST", "PATCH", "DELETE"):
            assert request.headers["Idempotency-Key"]
        if self.body is None:
            assert request.content == b""
        else:
            assert json.loads(request.content) == self.body
        if self.second is not None:  # the walk's next page: the same query at the cursor
            (_, following) = self.sent
            params = {name: following.url.params.get_list(name) for name in following.url.params}
            assert params == {**self.query, "cursor": ["c2"]}

    def check_result(self, result: Any, items: list[Any]) -> None:
        if self.method.page is not None:
            assert isinstance(result, SyncPage | AsyncPage)
            assert [type(item).__name__ for item in items] == [self.method.page.item] * 2
            assert [item.to_dict() for item in items] == self.answer["items"] * 2
        elif self.answer is not None:
            assert type(result).__name__ == self.returns
            assert result.to_dict() == self.answer
        else:
            assert result is None

    sent: list[httpx2.Request]


@pytest.mark.parametrize("operation_id", _operation_ids())
def test_every_operation_is_a_method_that_sends_what_the_spec_says(operation_id: str) -> None:
    case = Case(operation_id)
    case.sent = []
    transport = httpx2.MockTransport(case.respond)
    with UsersClient(
        base_url="http://contract.test", token="t", http_client=httpx2.Client(transport=transport)
    ) as client:
        method = getattr(getattr(client, case.method.resource), case.method.name)
        result = method(*case.args, **case.kwargs)
        items = list(result) if case.method.page is not None else []
    case.check_sent()
    case.check_result(result, items)


@pytest.mark.parametrize("operation_id", _operation_ids())
def test_the_async_twin_sends_the_same(operation_id: str) -> None:
    case = Case(operation_id)
    case.sent = []

    async def call() -> tuple[Any, list[Any]]:
        transport = httpx2.MockTransport(case.respond)
        async with AsyncUsersClient(
            base_url="http://contract.test",
            token="t",
            http_client=httpx2.AsyncClient(transport=transport),
        ) as client:
            method = getattr(getattr(client, case.method.resource), case.method.name)
            result = await method(*case.args, **case.kwargs)
            items = [item async for item in result] if case.method.page is not None else []
            return result, items

    result, items = asyncio.run(call())
    case.check_sent()
    case.check_result(result, items)


def test_every_argument_of_every_method_is_exercised() -> None:
    """The cases above pass every parameter a method has, so none goes unchecked."""
    import inspect

    options = {"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"}
    client = UsersClient(base_url="http://x", token="t")
    client.close()
    for operation_id in _operation_ids():
        case = Case(operation_id)
        resource = getattr(client, case.method.resource)
        parameters = inspect.signature(getattr(resource, case.method.name)).parameters
        positional = [p for p in parameters.values() if p.kind != p.KEYWORD_ONLY]
        keywords = {p.name for p in parameters.values() if p.kind == p.KEYWORD_ONLY}
        assert len(case.args) == len([p for p in positional if p.name != "body"]), operation_id
        assert keywords - options == set(case.kwargs), operation_id
