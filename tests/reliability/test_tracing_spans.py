"""OpenTelemetry through the real client and the real reference server: one span per
call named for its operation, one child per attempt (under injected 503s), W3C
traceparent sent, and no span carrying a credential, an email or a password."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx2
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from users_sdk import AsyncUsersClient, NotFoundError, RequestContext, UsersClient, _tracing

from .conftest import OWNER_TOKEN

PASSWORD = "a-long-passphrase-9173"


def everything_in(spans: Any) -> str:
    return "\n".join(
        json.dumps(
            {
                "name": s.name,
                "attributes": dict(s.attributes or {}),
                "events": [(e.name, dict(e.attributes or {})) for e in s.events],
                "status": s.status.description,
                "links": [dict(link.attributes or {}) for link in s.links],
                "resource": dict(s.resource.attributes),
            },
            default=str,
        )
        for s in spans
    )


def test_a_create_under_503s_gives_one_operation_span_and_a_child_per_attempt(
    reference_server: str, span_exporter: InMemorySpanExporter
) -> None:
    email = f"traced-{uuid.uuid4().hex[:8]}@example.com"
    sent: list[str] = []

    def keep_traceparent(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        sent.append(request.headers["traceparent"])
        return call_next(request)

    with httpx2.Client(base_url=reference_server) as admin:
        admin.post("/_test/faults", json={"status": 503, "count": 2}).raise_for_status()
    with UsersClient(
        base_url=reference_server, token=OWNER_TOKEN, middleware=[keep_traceparent]
    ) as client:
        client._sleep = lambda seconds: None
        client.users.create(email=email)
        with pytest.raises(NotFoundError):
            client.users.get("usr_missing")
    spans = span_exporter.get_finished_spans()
    operations = [s for s in spans if s.name == "users.create"]
    assert len(operations) == 1
    operation = operations[0]
    attempts = [s for s in spans if s.parent and s.parent.span_id == operation.context.span_id]
    assert [s.name for s in attempts] == ["POST /v1/users"] * 3
    assert [s.attributes.get("http.response.status_code") for s in attempts] == [503, 503, 201]
    assert [s.attributes.get("http.request.resend_count") for s in attempts] == [None, 1, 2]
    assert operation.attributes["users_sdk.retry_count"] == 2
    assert attempts[-1].attributes["http.response.header.x-request-id"][0].startswith("req_")
    # Each attempt sent its own span as the parent, in the same trace.
    trace_id = format(operation.context.trace_id, "032x")
    assert [header.split("-")[1] for header in sent[:3]] == [trace_id] * 3
    assert [header.split("-")[2] for header in sent[:3]] == [
        format(s.context.span_id, "016x") for s in attempts
    ]
    (get,) = [s for s in spans if s.name == "users.get"]
    assert get.attributes["url.template"] == "/v1/users/{user_id}"
    assert get.attributes["error.type"] == "NotFoundError"
    shown = everything_in(spans)
    for secret in (OWNER_TOKEN, email, "usr_missing"):
        assert secret not in shown


@pytest.mark.anyio
async def test_the_async_client_traces_a_password_reset_without_its_secrets(
    reference_server: str, span_exporter: InMemorySpanExporter
) -> None:
    async with AsyncUsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        await client.users.reset_password("nobody@example.com")
        with pytest.raises(Exception):  # noqa: B017, PT011 (the status does not matter here)
            await client.users.set_password("rst_not_a_real_token", PASSWORD)
    shown = everything_in(span_exporter.get_finished_spans())
    assert "users.reset_password" in shown
    assert "users.set_password" in shown
    for secret in (OWNER_TOKEN, PASSWORD, "rst_not_a_real_token", "nobody@example.com"):
        assert secret not in shown


def test_users_sdk_tracing_off_makes_no_span(
    reference_server: str, span_exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USERS_SDK_TRACING", "off")
    monkeypatch.setattr(_tracing, "_enabled", None)  # decided again, from the variable
    seen: list[str | None] = []

    def keep_traceparent(request: httpx2.Request, call_next: Any, context: RequestContext) -> Any:
        seen.append(request.headers.get("traceparent"))
        return call_next(request)

    with UsersClient(
        base_url=reference_server, token=OWNER_TOKEN, middleware=[keep_traceparent]
    ) as client:
        client.users.me()
    assert span_exporter.get_finished_spans() == ()
    assert seen == [None]
