"""Hostile and broken input: never a 500, always a problem document with a request id."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx2
import pytest
from users_server import Settings, create_app

from .helpers import OWNER, OWNER_ID, assert_problem, create_user

LIMIT = 64 * 1024


def raw_request(base_url: str, request_line: str, headers: str = "") -> tuple[int, bytes]:
    """Send a request line exactly as given (httpx2 would normalise `..` and escapes)."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(
            f"{request_line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"Authorization: Bearer owner-token\r\nContent-Length: 0\r\n{headers}\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"\r\nx-request-id: req_" in head.lower()
    return int(head.split()[1]), body


def padded(size: int) -> bytes:
    body = b'{"email": "big@example.com"}'
    return body + b" " * (size - len(body))


def test_body_at_the_limit_is_fine(api: httpx2.Client) -> None:
    response = api.post(
        "/v1/users", content=padded(LIMIT), headers=OWNER | {"Content-Type": "application/json"}
    )
    assert response.status_code == 201


def test_body_over_the_limit_by_content_length(api: httpx2.Client) -> None:
    response = api.post("/v1/users", content=padded(LIMIT + 1), headers=OWNER)
    assert "65536 bytes" in assert_problem(response, 413)["detail"]
    # The connection is still good.
    assert api.get("/v1/users/me", headers=OWNER).status_code == 200


def test_body_over_the_limit_when_streamed(api: httpx2.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b" " * 8192

    response = api.post("/v1/users", content=chunks(), headers=OWNER)
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_problem(response, 413)


@pytest.mark.anyio
async def test_body_over_the_limit_despite_a_small_content_length() -> None:
    app = create_app(Settings())
    sent: list[dict[str, object]] = []
    chunks = [b" " * 40000, b" " * 40000]

    async def receive() -> dict[str, object]:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/users",
        "raw_path": b"/v1/users",
        "query_string": b"",
        "headers": [(b"content-length", b"10"), (b"authorization", b"Bearer owner-token")],
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    app.state.server.close()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "missing"),
        (b"   ", "missing"),
        (b"{not json", "invalid_json"),
        (b'{"email": "a@example.com",}', "invalid_json"),
        (b'{"email": NaN}', "invalid_json"),
        (b"[" * 30000 + b"]" * 30000, None),  # deeper than Python's recursion limit
        (b'{"email": "\\ud800@example.com"}', "invalid_unicode"),  # a lone surrogate
        (b'{"email": "\xff\xfe@example.com"}', "invalid_unicode"),  # not UTF-8
        (b'{"email": "' + b"9" * 5000 + b'"}', None),
        (b"123456789" * 600, "invalid_json"),  # an int too long for Python's int()
        (b"null", None),
        (b"true", None),
    ],
)
def test_broken_json_is_422(api: httpx2.Client, content: bytes, code: str | None) -> None:
    response = api.post(
        "/v1/users", content=content, headers=OWNER | {"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    if code:
        assert problem["errors"][0]["code"] == code


SQL = "'; DROP TABLE users; --"


def test_sql_metacharacters_are_just_data(api: httpx2.Client) -> None:
    user = create_user(
        api,
        email="o'brien+x@example.com",
        display_name=SQL,
        first_name='Robert"); DELETE FROM users; --',
        last_name="%_\\",
        department="1' OR '1'='1",
        phone="' UNION SELECT * FROM users --",
        groups=[SQL, "a%"],
        permissions=["*"],
        metadata={SQL: SQL, "x') --": "\x00nul"},
        account_id="acc' --",
    )
    assert api.get(f"/v1/users/{user['id']}", headers=OWNER).json() == user
    for params in (
        {"q": SQL},
        {"q": "' OR 1=1 --"},
        {"group": SQL},
        {"account_id": "acc' --"},
        {"email_domain": "example.com' --"},
        {"role": "owner' --"},
        {"sort": "email; DROP TABLE users"},
        {"created_after": "2026-01-01T00:00:00Z' --"},
        {"cursor": SQL},
        {"limit": "1; DROP TABLE users"},
    ):
        response = api.get("/v1/users", params=params, headers=OWNER)
        assert response.status_code in (200, 400, 422), (params, response.text)
    found = api.get("/v1/users", params={"q": SQL, "group": SQL}, headers=OWNER).json()["items"]
    assert [u["id"] for u in found] == [user["id"]]
    assert len(api.get("/v1/users", headers=OWNER).json()["items"]) == 3


def test_unicode_round_trips(api: httpx2.Client) -> None:
    name = "Zoë Ångström 🚀 日本語 \u200b"
    user = create_user(
        api, email="zoe@example.com", display_name=name, metadata={"ключ": "значение"}
    )
    assert user["display_name"] == name
    assert user["metadata"] == {"ключ": "значение"}
    found = api.get("/v1/users", params={"q": "ZOË ÅNG"}, headers=OWNER).json()["items"]
    assert [u["id"] for u in found] == [user["id"]]


@pytest.mark.parametrize(
    "request_line",
    [
        "GET /v1/users/..",
        "GET /v1/users/../users",
        "GET /v1/users/%2e%2e",
        "GET /v1/users/usr_0001%2F..",
        "GET /v1/users/usr%5F0001",
        "POST /v1/users/usr_0001%2Finvite",
        "DELETE /v1/users/usr_0001%2F",
        "GET /v1/users/usr_0001%00",
        "GET /v1/users/usr_0001/",
        "GET /v1/users/",
        "PATCH /v1/users/a.b",
        "GET /v1/users/" + "a" * 65,
        "GET /v1/users//invite",
        "GET /v1/users/usr_0001/../../v1/users",
        "GET /%2e%2e/etc/passwd",
        "GET /v1/users/usr_0001\\..",
    ],
)
def test_hostile_paths_are_404(server_url: str, request_line: str) -> None:
    status, body = raw_request(server_url, request_line)
    assert status == 404, body
    assert json.loads(body)["status"] == 404


def test_escaped_path_does_not_reach_another_operation(api: httpx2.Client, server_url: str) -> None:
    user = create_user(api, email="bob@example.com")
    status, _ = raw_request(server_url, f"POST /v1/users/{user['id']}%2Finvite")
    assert status == 404
    assert api.get("/_test/outbox").json() == []


def test_unknown_route_and_method(api: httpx2.Client) -> None:
    problem = assert_problem(api.get("/nowhere"), 404)
    assert problem["instance"] == "/nowhere"
    response = api.put(f"/v1/users/{OWNER_ID}", json={}, headers=OWNER)
    assert_problem(response, 405)
    assert "PATCH" in response.headers["allow"]


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"])
def test_no_framework_docs(api: httpx2.Client, path: str) -> None:
    assert_problem(api.get(path), 404)


@pytest.mark.anyio
async def test_unexpected_errors_are_problem_documents(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings())

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    app.state.server.users.list_page = explode
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        with caplog.at_level(logging.ERROR, logger="users_server"):
            response = await client.get("/v1/users", headers=OWNER)
    problem = assert_problem(response, 500)
    assert "boom" not in response.text  # no internals leak
    assert problem["request_id"] in problem["detail"]
    assert "boom" in caplog.text
    app.state.server.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_escapes_in_the_query_string_are_fine_over_asgi() -> None:
    # httpx2's ASGITransport puts the query string into raw_path.
    app = create_app(Settings())
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/v1/users", params={"q": "100% sure"}, headers=OWNER)
    assert response.status_code == 200
    app.state.server.close()
