"""users_sdk._tracing: the operation and attempt spans, on real httpx2 requests.

Spans go to an in-memory exporter through `_tracing._provider_override`, a fresh
provider per test: OTel lets the global provider be set once per process, so no
test here sets it, and nothing leaks from one test to the next.
"""

from __future__ import annotations

import asyncio
import json
import re

import httpx2
import pytest
from opentelemetry import context, trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

import users_sdk
from users_sdk import _tracing
from users_sdk._tracing import OperationTrace

BASE_URL = "http://127.0.0.1:8000"
TOKEN = "secret-token-0123456789"
EMAIL = "x@y.com"
PASSWORD = "hunter2-correct-horse"
RESET_TOKEN = "rst_9f8e7d6c5b4a"
TRACEPARENT = re.compile(r"00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}")


def create_request() -> httpx2.Request:
    return httpx2.Request(
        "POST",
        f"{BASE_URL}/v1/users?email=x%40y.com",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"email": EMAIL, "password": PASSWORD},
    )


def answer(request: httpx2.Request, status: int, request_id: str) -> httpx2.Response:
    return httpx2.Response(status, headers={"x-request-id": request_id}, request=request)


def spans(span_exporter: InMemorySpanExporter) -> dict[str, list[ReadableSpan]]:
    """The finished spans by name, each list in start order."""
    found: dict[str, list[ReadableSpan]] = {}
    for span in sorted(span_exporter.get_finished_spans(), key=lambda s: s.start_time or 0):
        found.setdefault(span.name, []).append(span)
    return found


def test_one_operation_span_and_a_client_span_per_attempt(
    span_exporter: InMemorySpanExporter,
) -> None:
    request = create_request()
    with OperationTrace("users.create", "post", "/v1/users", BASE_URL) as operation:
        with operation.attempt(request, 1) as attempt:
            attempt.response(answer(request, 503, "req_1"))
        with operation.attempt(request, 2) as attempt:
            attempt.response(answer(request, 201, "req_2"))

    found = spans(span_exporter)
    assert sorted(found) == ["POST /v1/users", "users.create"]
    [op] = found["users.create"]
    first, second = found["POST /v1/users"]
    assert op.kind is SpanKind.INTERNAL
    assert op.parent is None
    assert op.instrumentation_scope is not None
    assert op.instrumentation_scope.name == "users_sdk"
    assert op.instrumentation_scope.version == users_sdk.__version__
    http = {
        "http.request.method": "POST",
        "url.template": "/v1/users",
        "server.address": "127.0.0.1",
        "server.port": 8000,
    }
    assert dict(op.attributes or {}) == {
        **http,
        "users_sdk.retry_count": 1,
        "http.response.status_code": 201,
    }
    assert op.status.status_code is StatusCode.UNSET

    for span in (first, second):
        assert span.kind is SpanKind.CLIENT
        assert span.parent is not None
        assert span.parent.span_id == op.context.span_id
        assert span.context.trace_id == op.context.trace_id
    assert dict(first.attributes or {}) == {
        **http,
        "http.response.status_code": 503,
        "http.response.header.x-request-id": ("req_1",),
        "error.type": "503",
    }
    assert first.status.status_code is StatusCode.ERROR
    assert first.status.description is None
    assert dict(second.attributes or {}) == {
        **http,
        "http.request.resend_count": 1,
        "http.response.status_code": 201,
        "http.response.header.x-request-id": ("req_2",),
    }
    assert second.status.status_code is StatusCode.UNSET


def test_each_attempt_injects_its_own_valid_traceparent(
    span_exporter: InMemorySpanExporter,
) -> None:
    request = create_request()
    injected = []
    with OperationTrace("users.create", "POST", "/v1/users", BASE_URL) as operation:
        for number in (1, 2):
            with operation.attempt(request, number):
                injected.append(request.headers.get_list("traceparent"))
    attempts = spans(span_exporter)["POST /v1/users"]
    assert len(attempts) == 2
    for values, span in zip(injected, attempts, strict=True):
        [value] = values  # replaced, not appended, on a retry
        assert TRACEPARENT.fullmatch(value), value
        extracted = trace.get_current_span(
            TraceContextTextMapPropagator().extract({"traceparent": value})
        ).get_span_context()
        assert extracted.is_valid
        assert (extracted.trace_id, extracted.span_id) == (
            span.context.trace_id,
            span.context.span_id,
        )
    # The credential is still there, untouched.
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_caller_trace_is_continued_with_its_tracestate(
    span_exporter: InMemorySpanExporter,
) -> None:
    caller = trace.SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=True,
        trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
        trace_state=trace.TraceState([("vendor", "opaque")]),
    )
    token = context.attach(trace.set_span_in_context(trace.NonRecordingSpan(caller)))
    try:
        request = create_request()
        with (
            OperationTrace("users.get", "GET", "/v1/users/{user_id}", BASE_URL) as operation,
            operation.attempt(request, 1),
        ):
            pass
    finally:
        context.detach(token)
    [op] = spans(span_exporter)["users.get"]
    assert op.parent is not None
    assert op.parent.span_id == caller.span_id
    assert op.context.trace_id == caller.trace_id
    assert request.headers["tracestate"] == "vendor=opaque"
    assert request.headers["traceparent"].split("-")[1] == f"{caller.trace_id:032x}"


def test_the_spans_are_current_inside_and_restored_after(
    span_exporter: InMemorySpanExporter,
) -> None:
    request = create_request()
    before = trace.get_current_span()
    with OperationTrace("users.create", "POST", "/v1/users", BASE_URL) as operation:
        in_operation = trace.get_current_span()
        with operation.attempt(request, 1):
            in_attempt = trace.get_current_span()
        after_attempt = trace.get_current_span()
    assert trace.get_current_span() is before
    assert after_attempt is in_operation
    assert (
        in_operation.get_span_context().span_id
        == spans(span_exporter)["users.create"][0].context.span_id
    )
    assert (
        in_attempt.get_span_context().span_id
        == spans(span_exporter)["POST /v1/users"][0].context.span_id
    )


def test_an_exception_is_its_class_name_and_an_error_status(
    span_exporter: InMemorySpanExporter,
) -> None:
    request = create_request()
    with (
        pytest.raises(httpx2.ConnectError),
        OperationTrace("users.create", "POST", "/v1/users", BASE_URL) as operation,
        operation.attempt(request, 1),
    ):
        raise httpx2.ConnectError(f"cannot reach {EMAIL} with {PASSWORD}", request=request)
    found = spans(span_exporter)
    for span in (found["users.create"][0], found["POST /v1/users"][0]):
        assert span.attributes is not None
        assert span.attributes["error.type"] == "ConnectError"
        assert span.status.status_code is StatusCode.ERROR
        assert span.status.description is None
        assert span.events == ()
    assert found["users.create"][0].attributes["users_sdk.retry_count"] == 0  # type: ignore[index]


def test_an_exception_raised_from_a_status_keeps_the_status_as_error_type(
    span_exporter: InMemorySpanExporter,
) -> None:
    class NotFoundError(Exception):
        pass

    def get() -> None:  # the send loop raising the error a 404 maps to
        request = httpx2.Request("GET", f"{BASE_URL}/v1/users/usr_0001")
        with (
            OperationTrace("users.get", "GET", "/v1/users/{user_id}", BASE_URL) as operation,
            operation.attempt(request, 1) as attempt,
        ):
            attempt.response(answer(request, 404, "req_404"))
            raise NotFoundError("no user usr_0001")

    with pytest.raises(NotFoundError):
        get()
    found = spans(span_exporter)
    [op], [http] = found["users.get"], found["GET /v1/users/{user_id}"]
    assert http.attributes is not None
    assert http.attributes["error.type"] == "404"
    assert op.attributes is not None
    assert op.attributes["error.type"] == "NotFoundError"
    assert op.attributes["http.response.status_code"] == 404
    assert op.status.status_code is http.status.status_code is StatusCode.ERROR
    assert "usr_0001" not in json.dumps([op.to_json(), http.to_json()])


@pytest.mark.parametrize(
    ("base_url", "address", "port"),
    [
        ("https://users.example.com", "users.example.com", 443),
        ("http://users.example.com/api/", "users.example.com", 80),
        ("https://admin:hunter2@[::1]:8443", "::1", 8443),
    ],
)
def test_server_address_and_port_come_from_the_base_url(
    span_exporter: InMemorySpanExporter, base_url: str, address: str, port: int
) -> None:
    with OperationTrace("users.list", "GET", "/v1/users", base_url):
        pass
    [op] = spans(span_exporter)["users.list"]
    assert op.attributes is not None
    assert (op.attributes["server.address"], op.attributes["server.port"]) == (address, port)
    assert "hunter2" not in op.to_json()


def test_no_secret_reaches_any_span(span_exporter: InMemorySpanExporter) -> None:
    secrets = [TOKEN, EMAIL, "x%40y.com", PASSWORD, RESET_TOKEN, "usr_0001"]
    echoed = json.dumps({"detail": f"bad {PASSWORD} {RESET_TOKEN} for {EMAIL}", "auth": TOKEN})
    base_url = f"http://svc:{PASSWORD}@127.0.0.1:8000"

    def create() -> None:  # a server echoing everything back, then a failure quoting it
        request = create_request()
        with OperationTrace("users.create", "POST", "/v1/users", base_url) as operation:
            with operation.attempt(request, 1) as attempt:
                attempt.response(
                    httpx2.Response(
                        500,
                        headers={"x-request-id": "req_1", "x-echo": TOKEN, "location": EMAIL},
                        content=echoed.encode(),
                        request=request,
                    )
                )
            with operation.attempt(request, 2):
                raise ValueError(f"{PASSWORD} {RESET_TOKEN} {EMAIL} {TOKEN} {request.url}")

    def complete_reset() -> None:
        reset = httpx2.Request(
            "POST",
            f"{BASE_URL}/v1/password-resets/{RESET_TOKEN}/complete?email=x%40y.com",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"reset_token": RESET_TOKEN, "password": PASSWORD},
        )
        template = "/v1/password-resets/{token}/complete"
        with (
            OperationTrace("password_resets.complete", "POST", template, BASE_URL) as operation,
            operation.attempt(reset, 1) as attempt,
        ):
            attempt.response(httpx2.Response(422, content=echoed.encode(), request=reset))
            raise RuntimeError(echoed)

    with pytest.raises(ValueError, match="hunter2"):
        create()
    with pytest.raises(RuntimeError):
        complete_reset()

    finished = span_exporter.get_finished_spans()
    assert len(finished) == 5
    for span in finished:
        everything = "\n".join(
            [
                span.to_json(),
                span.name,
                str(span.status.description),
                repr(dict(span.attributes or {})),
                repr([(e.name, dict(e.attributes or {})) for e in span.events]),
                repr([dict(link.attributes or {}) for link in span.links]),
            ]
        )
        for secret in secrets:
            assert secret not in everything, (secret, span.name)


def test_concurrent_async_operations_each_parent_their_own_attempts(
    span_exporter: InMemorySpanExporter,
) -> None:
    async def call(name: str) -> None:
        request = httpx2.Request("GET", f"{BASE_URL}/v1/users/{name}")
        with OperationTrace(name, "GET", "/v1/users/{user_id}", BASE_URL) as operation:
            for number in (1, 2):
                with operation.attempt(request, number) as attempt:
                    await asyncio.sleep(0.001)
                    attempt.response(answer(request, 200, name))

    async def main() -> None:
        await asyncio.gather(call("a"), call("b"))

    asyncio.run(main())
    found = spans(span_exporter)
    ops = {span.name: span for name in ("a", "b") for span in found[name]}
    attempts = found["GET /v1/users/{user_id}"]
    assert len(attempts) == 4
    for span in attempts:
        assert span.attributes is not None
        [request_id] = span.attributes["http.response.header.x-request-id"]  # type: ignore[misc]
        assert span.parent is not None
        assert span.parent.span_id == ops[str(request_id)].context.span_id
    for op in ops.values():
        assert op.parent is None
        assert op.attributes is not None
        assert op.attributes["users_sdk.retry_count"] == 1


def test_the_tracer_follows_the_provider_override(span_exporter: InMemorySpanExporter) -> None:
    api = _tracing._load()
    first = _tracing._tracer(api)
    assert _tracing._tracer(api) is first  # cached
    other = TracerProvider()
    try:
        _tracing._provider_override = other  # the fixture's monkeypatch restores it
        assert _tracing._tracer(api) is not first
    finally:
        other.shutdown()


def test_without_an_sdk_provider_the_spans_are_no_ops(monkeypatch: pytest.MonkeyPatch) -> None:
    # The global provider is OTel's default proxy: no test sets it (see the docstring).
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    monkeypatch.setattr(_tracing, "_provider_override", None)
    request = create_request()
    with OperationTrace("users.create", "POST", "/v1/users", BASE_URL) as operation:
        with operation.attempt(request, 1) as attempt:
            attempt.response(answer(request, 503, "req_1"))
        with operation.attempt(request, 2) as attempt:
            assert not trace.get_current_span().is_recording()
            attempt.response(answer(request, 201, "req_2"))
    assert "traceparent" not in request.headers  # no trace to continue
    assert trace.get_current_span() is trace.INVALID_SPAN


def test_tracing_is_enabled_when_the_api_is_installed() -> None:
    assert _tracing.tracing_enabled() is True
    assert _tracing._api_installed() is True
