"""A real loopback HTTP server that answers every request badly, on purpose.

The first path segment names the misbehaviour, so one server serves them all:
a client made with `base_url=f"{server.url}/invalid_json"` gets invalid JSON
with a 200 for every operation. What a good answer would hold depends on the
operation (a user, an invitation, a page, or nothing), which the server tells
from the method and path, as the real one would.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from unit.conftest import user_json  # one canonical User body for every suite

HUGE = 20 * 1024 * 1024  # 20 MiB
DEEP = 100_000  # JSON nesting far past Python's recursion limit


def invitation_json(**overrides: Any) -> dict[str, Any]:
    invitation: dict[str, Any] = {
        "user_id": "usr_0001",
        "sent_at": "2026-01-01T00:00:00Z",
        "expires_at": "2026-01-08T00:00:00Z",
    }
    invitation.update(overrides)
    return invitation


def page_json(*users: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "items": list(users),
        "limit": 20,
        "next_cursor": None,
        "previous_cursor": None,
        **extra,
    }


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    # Declare this Content-Length instead of the body's, then hang up: a truncated body.
    declared_length: int | None = None


def _json(status: int, data: Any, content_type: str = "application/json") -> Answer:
    return Answer(status, json.dumps(data).encode(), content_type)


def _good(kind: str) -> Answer:
    """The well-formed answer of each kind of operation (for contrast)."""
    return {
        "user": _json(200, user_json()),
        "invitation": _json(202, invitation_json()),
        "page": _json(200, page_json(user_json())),
        "none": Answer(204, content_type=None),
    }[kind]


def _by_kind(
    user: Any, invitation: Any, page: Any, none: Answer | None = None
) -> Callable[[str], Answer]:
    """An answer per kind of operation; `none` (delete, passwords) gets a 200 with
    the same body as a user operation unless given its own."""

    def answer(kind: str) -> Answer:
        if kind == "none" and none is not None:
            return none
        data = {"user": user, "invitation": invitation, "page": page, "none": user}[kind]
        return data if isinstance(data, Answer) else _json(200, data)

    return answer


_DEEP_JSON = b"[" * DEEP + b"]" * DEEP


def _huge_user() -> dict[str, Any]:
    return user_json(x_padding="a" * HUGE)


# name -> the answer for a kind of operation ("user", "invitation", "page", "none").
CASES: dict[str, Callable[[str], Answer]] = {
    "invalid_json": lambda kind: Answer(200, b'{"id": "usr_0001", "email":'),
    "html_500": lambda kind: Answer(
        500,
        b"<html><head><title>500 Internal Server Error</title></head>"
        b"<body><h1>Internal Server Error</h1><p>nginx</p></body></html>",
        "text/html",
    ),
    "status_520": lambda kind: Answer(520, b"origin error", "text/plain"),
    "empty_body": lambda kind: Answer(200, b""),
    "missing_field": _by_kind(
        {k: v for k, v in user_json().items() if k != "email"},
        {k: v for k, v in invitation_json().items() if k != "expires_at"},
        page_json({k: v for k, v in user_json().items() if k != "email"}),
    ),
    "wrong_type": _by_kind(
        user_json(version="seven"),
        invitation_json(sent_at=12),
        page_json(user_json(groups="engineering")),
    ),
    "bad_datetime": _by_kind(
        user_json(created_at="yesterday"),
        invitation_json(expires_at="next week"),
        page_json(user_json(updated_at="2026-13-45T99:99:99Z")),
    ),
    "unknown_enum": _by_kind(
        user_json(role="superhero", status="on_vacation"),
        invitation_json(),
        page_json(user_json(role="superhero")),
    ),
    "unknown_field": _by_kind(
        user_json(x_added_later={"nested": [1, 2]}),
        invitation_json(x_added_later={"nested": [1, 2]}),
        page_json(user_json(x_added_later={"nested": [1, 2]}), x_total=1),
    ),
    "huge_body": lambda kind: _by_kind(
        _huge_user(), invitation_json(x_padding="a" * HUGE), page_json(_huge_user())
    )(kind),
    "truncated_body": lambda kind: Answer(
        200, json.dumps(user_json()).encode()[:100], declared_length=5000
    ),
    "wrong_content_type": lambda kind: Answer(
        _good(kind).status, _good(kind).body, "text/html; charset=iso-8859-1"
    ),
    "xml_body": lambda kind: Answer(
        200, b"<?xml version='1.0'?><user><id>usr_0001</id></user>", "application/xml"
    ),
    "deep_json": lambda kind: Answer(200, _DEEP_JSON),
    "deep_problem": lambda kind: Answer(404, _DEEP_JSON, "application/problem+json"),
    "not_an_object": _by_kind([user_json()], "usr_0001", [user_json()]),
    "null_body": lambda kind: Answer(200, b"null"),
    "invalid_utf8": lambda kind: Answer(200, b'{"id": "usr_\xff\xfe", "email": "\xc3"}'),
    "bad_cursor_type": _by_kind(user_json(), invitation_json(), page_json(next_cursor=7)),
    "redirect_elsewhere": lambda kind: Answer(
        302,
        content_type=None,
        headers=(("Location", "http://attacker.invalid/steal"),),
    ),
    "problem_with_wrong_types": lambda kind: _json(
        422,
        {"type": 5, "title": ["x"], "status": "422", "errors": "not a list"},
        "application/problem+json",
    ),
    "rate_limited_forever": lambda kind: Answer(
        429, b"slow down", "text/plain", headers=(("Retry-After", "soon"),)
    ),
}


def operation_kind(method: str, path: str) -> str:
    if path.endswith("/invite"):
        return "invitation"
    if method == "GET" and path.rstrip("/").endswith("/v1/users"):
        return "page"
    if method == "DELETE" or path.endswith(("/reset-password", "/set-password")):
        return "none"
    return "user"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without TCP_NODELAY, each
    # keep-alive answer would wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        _, case, rest = self.path.split("?")[0].split("/", 2)
        self.server.seen.append((self.command, self.path))  # type: ignore[attr-defined]
        answer = CASES[case](operation_kind(self.command, "/" + rest))
        self.send_response(answer.status)
        if answer.content_type is not None:
            self.send_header("Content-Type", answer.content_type)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("X-Request-ID", f"req_bad_{case}")
        declared = answer.declared_length
        self.send_header("Content-Length", str(declared if declared else len(answer.body)))
        if declared:
            self.send_header("Connection", "close")
        self.end_headers()
        if answer.body:
            # A client may give up on a huge body: fine.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(answer.body)
        if declared:
            self.close_connection = True

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[tuple[str, str]]


@dataclass(frozen=True)
class MisbehavingServer:
    url: str
    # (method, path) of every request received, in order.
    seen: list[tuple[str, str]]


@contextmanager
def misbehaving_server() -> Iterator[MisbehavingServer]:
    """A running server; a client's base_url is `f"{server.url}/<case>"`."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, name="misbehaving", daemon=True)
    thread.start()
    try:
        yield MisbehavingServer(f"http://127.0.0.1:{server.server_address[1]}", server.seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
