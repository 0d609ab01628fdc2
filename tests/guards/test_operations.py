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
import yaml

from users_sdk import AsyncPage, AsyncUsersClient, SyncPage, UsersClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.methods import Method, methods  # noqa: E402
from sdk_codegen.spec import Spec, Value  # noqa: E402

SPEC = Spec.load(ROOT / "openapi.yaml")
METHODS = {method.operation.operation_id: method for method in methods(SPEC)}
INSTANT = "2026-01-01T00:00:00+00:00"


def _operation_ids() -> list[str]:
    """Read with PyYAML alone, not through the generator's reading of the spec."""
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return [
        operation["operationId"]
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    ]


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
        "text": "x1",
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
    """The arguments of one method, and what the spec says they become."""

    def __init__(self, method: Method) -> None:
        op = method.operation
        self.method = method
        by_name = {p.python_name: p for p in op.parameters}
        self.args = [f"id_{a.name}" for a in method.path]
        self.kwargs: dict[str, Any] = {}
        path = op.path
        for argument in method.path:
            path = path.replace("{" + argument.wire + "}", f"id_{argument.name}")
        self.path = path
        self.query: dict[str, list[str]] = {}
        for argument in method.query:
            value = sample(by_name[argument.name].value)
            self.kwargs[argument.name] = value
            self.query[argument.wire] = on_the_wire(value)
        self.headers: dict[str, str] = {}
        for argument in method.headers:
            if argument.wire == "If-Match":
                self.kwargs[argument.name], self.headers[argument.wire] = 3, '"3"'
            else:
                self.kwargs[argument.name] = self.headers[argument.wire] = "key-1"
        self.body: dict[str, Any] | None = None
        if op.body is not None:
            self.body = sample_model(op.body)
            if method.spread:
                self.args += [self.body[a.wire] for a in method.spread]
            else:
                self.kwargs.update({a.name: self.body[a.wire] for a in method.fields})
        self.answer: Any = None
        if method.page is not None:
            item = sample_model(method.page.item)
            self.answer = {**sample_model(method.page.model), "items": [item]}
            self.answer.update(next_cursor=None, previous_cursor=None)
        elif method.returns is not None:
            self.answer = sample_model(method.returns)

    def respond(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(request)
        if self.answer is None:
            return httpx2.Response(204)
        return httpx2.Response(200, json=self.answer)

    def check_sent(self) -> None:
        (request,) = self.sent
        op = self.method.operation
        assert request.method == op.method
        assert request.url.path == self.path
        query = {name: request.url.params.get_list(name) for name in request.url.params}
        assert query == self.query
        for name, value in self.headers.items():
            assert request.headers[name] == value, name
        if op.method in ("POST", "PATCH", "DELETE"):
            assert request.headers["Idempotency-Key"]
        if self.body is None:
            assert request.content == b""
        else:
            assert json.loads(request.content) == self.body

    def check_result(self, result: Any) -> None:
        if self.method.page is not None:
            assert isinstance(result, SyncPage | AsyncPage)
            assert [type(item).__name__ for item in result.items] == [self.method.page.item]
            assert [item.to_dict() for item in result.items] == self.answer["items"]
        elif self.method.returns is not None:
            assert type(result).__name__ == self.method.returns
            assert result.to_dict() == self.answer
        else:
            assert result is None

    sent: list[httpx2.Request]


@pytest.mark.parametrize("operation_id", _operation_ids())
def test_every_operation_is_a_method_that_sends_what_the_spec_says(operation_id: str) -> None:
    case = Case(METHODS[operation_id])
    case.sent = []
    transport = httpx2.MockTransport(case.respond)
    with UsersClient(
        base_url="http://contract.test", token="t", http_client=httpx2.Client(transport=transport)
    ) as client:
        method = getattr(getattr(client, case.method.resource), case.method.name)
        result = method(*case.args, **case.kwargs)
    case.check_sent()
    case.check_result(result)


@pytest.mark.parametrize("operation_id", _operation_ids())
def test_the_async_twin_sends_the_same(operation_id: str) -> None:
    case = Case(METHODS[operation_id])
    case.sent = []

    async def call() -> Any:
        transport = httpx2.MockTransport(case.respond)
        async with AsyncUsersClient(
            base_url="http://contract.test",
            token="t",
            http_client=httpx2.AsyncClient(transport=transport),
        ) as client:
            method = getattr(getattr(client, case.method.resource), case.method.name)
            return await method(*case.args, **case.kwargs)

    result = asyncio.run(call())
    case.check_sent()
    case.check_result(result)


def test_every_argument_of_every_method_is_exercised() -> None:
    """The cases above pass every parameter a method has, so none goes unchecked."""
    import inspect

    options = {"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"}
    client = UsersClient(base_url="http://x", token="t")
    client.close()
    for operation_id in _operation_ids():
        case = Case(METHODS[operation_id])
        resource = getattr(client, case.method.resource)
        parameters = inspect.signature(getattr(resource, case.method.name)).parameters
        positional = [p for p in parameters.values() if p.kind != p.KEYWORD_ONLY]
        keywords = {p.name for p in parameters.values() if p.kind == p.KEYWORD_ONLY}
        assert len(case.args) == len([p for p in positional if p.name != "body"]), operation_id
        assert keywords - options == set(case.kwargs), operation_id
