"""A minimal HTTP/1.1 server that answers with precomputed bytes.

It exists so that the benchmarks measure the *client*: it does no routing
beyond a prefix check, no JSON encoding and no database work, so its share of
each request is a few microseconds. It runs in its own process (see
`start_canned_server`), so its CPU time never counts against the client's.

Two listeners, identical except for one thing:

- the *fast* port answers at once (client-overhead figures);
- the *slow* port waits a fixed `delay` (default 3 ms) before answering every
  request, to model network latency: the same delay for every client, so that
  the concurrency figure (AsyncUsersClient with 50 requests in flight against
  UsersClient one by one) measures overlap of waiting, not a faster server.

Routes (anything else is a 404 problem document):

- `GET /v1/users/<id>`            one canned User (the same bytes for any id)
- `GET /v1/users?...&cursor=cN`   page N (0 without a cursor) of PAGES pages of
                                  PAGE_SIZE users, `next_cursor` "c<N+1>" until
                                  the last page, whose `next_cursor` is null
- `GET /ahead/v1/users?...`       the same pages as an API ahead of the spec
                                  sends them: every user has one field more
                                  (`ahead_page_body`)
- `GET /_stats`                   how many connections each port has accepted
                                  (this one included), to show that the clients
                                  measured kept their connections alive, and
                                  the headers of the request before this one

Keep-alive is the HTTP/1.1 default and the server honours it; request bodies
(Content-Length) are read and ignored. Run it by hand with
`python benchmarks/canned_server.py` (it prints its two ports as JSON).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from child_process import serve_in_child

PAGE_SIZE = 100
PAGES = 100
DEFAULT_DELAY = 0.003

USER_PATH = b"/v1/users/"
LIST_PATH = b"/v1/users"


def canned_user(index: int = 1) -> dict[str, Any]:
    """A User as the API returns it: every field of the spec, realistic values."""
    return {
        "id": f"usr_{index:06d}",
        "email": f"user{index}@example.com",
        "display_name": f"User Number {index}",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "username": f"user{index}",
        "role": ("owner", "admin", "member", "viewer")[index % 4],
        "status": ("invited", "active", "suspended", "deactivated")[index % 4],
        "phone": "+44 20 7946 0000" if index % 2 else None,
        "department": "R&D",
        "groups": ["engineering", "platform"],
        "permissions": ["users:read"],
        "metadata": {"employee_number": str(1000 + index), "team": "core"},
        "account_id": "acc_0001",
        "is_service_user": False,
        "last_login_at": "2026-01-02T03:04:05Z" if index % 3 else None,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:01Z",
        "version": 1 + index % 7,
    }


def user_body() -> bytes:
    return json.dumps(canned_user(1), separators=(",", ":")).encode()


def page_body(page: int) -> bytes:
    """Page `page` (0-based) of the canned listing."""
    start = page * PAGE_SIZE
    items = [canned_user(start + i + 1) for i in range(PAGE_SIZE)]
    body = {
        "items": items,
        "limit": PAGE_SIZE,
        "next_cursor": f"c{page + 1}" if page + 1 < PAGES else None,
        "previous_cursor": f"c{page - 1}" if page > 0 else None,
    }
    return json.dumps(body, separators=(",", ":")).encode()


# What an API ahead of the SDK adds: a field the spec does not have, and an
# enum value it does not list (bench_ahead.py).
AHEAD_PREFIX = b"/ahead"
NEW_FIELD = "x_added_later"  # a name no rehearsal of tests/spec_evolution adds
NEW_STATUS = "archived"


def ahead_page_body(page: int, *, field: bool = True, value: bool = False) -> bytes:
    """Page `page` with one field the spec does not have in every user, or
    one enum value it does not list (`status`), or both."""
    data = json.loads(page_body(page))
    for index, user in enumerate(data["items"]):
        if field:
            user[NEW_FIELD] = ("she/her", "he/him", "they/them")[index % 3]
        if value:
            user["status"] = NEW_STATUS
    return json.dumps(data, separators=(",", ":")).encode()


def _response(status: bytes, body: bytes, content_type: bytes = b"application/json") -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\n"
        b"content-type: " + content_type + b"\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n"
        b"x-request-id: req_bench\r\n"
        b'etag: "1"\r\n'
        b"\r\n" + body
    )


class _Responses:
    """Every response the server can send, built once at start-up."""

    def __init__(self) -> None:
        self.user = _response(b"200 OK", user_body())
        self.pages = [_response(b"200 OK", page_body(n)) for n in range(PAGES)]
        self.ahead_pages = [_response(b"200 OK", ahead_page_body(n)) for n in range(PAGES)]
        self.not_found = _response(
            b"404 Not Found",
            json.dumps(
                {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no route"}
            ).encode(),
            b"application/problem+json",
        )

    def for_target(self, target: bytes) -> bytes:
        path, _, query = target.partition(b"?")
        pages = self.pages
        if path.startswith(AHEAD_PREFIX):
            path, pages = path[len(AHEAD_PREFIX) :], self.ahead_pages
        if path.startswith(USER_PATH) and len(path) > len(USER_PATH):
            return self.user
        if path == LIST_PATH:
            page = 0
            for pair in query.split(b"&"):
                if pair.startswith(b"cursor=c"):
                    try:
                        page = int(pair[8:])
                    except ValueError:
                        return self.not_found
            if 0 <= page < PAGES:
                return pages[page]
        return self.not_found


STATS_PATH = b"/_stats"
_CONNECTIONS = {"fast": 0, "slow": 0}
_LAST_HEADERS: list[list[str]] = []


def _stats_response() -> bytes:
    stats = {"connections": _CONNECTIONS, "last_headers": _LAST_HEADERS}
    return _response(b"200 OK", json.dumps(stats).encode())


class _Protocol(asyncio.Protocol):
    def __init__(self, responses: _Responses, delay: float) -> None:
        self._responses = responses
        self._delay = delay
        _CONNECTIONS["slow" if delay else "fast"] += 1
        self._buffer = b""
        self._transport: asyncio.Transport | None = None
        self._queue: asyncio.Queue[bytes] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        if self._delay:
            # Answers wait, in order, on their own task: keeps a pipelining
            # client correct and the fast path free of any task switch.
            self._queue = asyncio.Queue()
            self._task = asyncio.get_running_loop().create_task(self._answer_later())

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buffer[:end]
            length = 0
            lower = head.lower()
            at = lower.find(b"\r\ncontent-length:")
            if at >= 0:
                line_end = lower.find(b"\r\n", at + 2)
                length = int(lower[at + 17 : line_end if line_end >= 0 else None])
            if len(self._buffer) < end + 4 + length:
                return
            self._buffer = self._buffer[end + 4 + length :]
            request_line = head.split(b"\r\n", 1)[0]
            parts = request_line.split(b" ")
            target = parts[1] if len(parts) > 1 else b""
            if target == STATS_PATH:
                answer = _stats_response()
            else:
                answer = self._responses.for_target(target)
                _LAST_HEADERS[:] = [
                    [part.strip() for part in line.decode("latin-1").split(":", 1)]
                    for line in head.split(b"\r\n")[1:]
                ]
            if self._queue is not None:
                self._queue.put_nowait(answer)
            else:
                assert self._transport is not None
                self._transport.write(answer)

    async def _answer_later(self) -> None:
        assert self._queue is not None
        assert self._transport is not None
        while True:
            answer = await self._queue.get()
            await asyncio.sleep(self._delay)
            if self._transport.is_closing():
                return
            self._transport.write(answer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._queue is not None:
            self._task.cancel()


async def serve(host: str = "127.0.0.1", delay: float = DEFAULT_DELAY) -> None:
    responses = _Responses()
    loop = asyncio.get_running_loop()
    fast = await loop.create_server(lambda: _Protocol(responses, 0.0), host, 0, backlog=512)
    slow = await loop.create_server(lambda: _Protocol(responses, delay), host, 0, backlog=512)
    ports = {
        "fast": fast.sockets[0].getsockname()[1],
        "slow": slow.sockets[0].getsockname()[1],
        "delay": delay,
    }
    print(json.dumps(ports), flush=True)
    # Stop when the parent closes our stdin (or dies): never outlive the benchmark.
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()


@contextmanager
def start_canned_server(delay: float = DEFAULT_DELAY) -> Iterator[dict[str, Any]]:
    """Run the server in a child process; yields {"fast": url, "slow": url, "delay": s}."""
    with serve_in_child(
        [sys.executable, os.path.abspath(__file__), "--delay", str(delay)],
        not_ready=RuntimeError("the canned server did not start"),
        stop_timeout=5,
    ) as ports:
        yield {
            "fast": f"http://127.0.0.1:{ports['fast']}",
            "slow": f"http://127.0.0.1:{ports['slow']}",
            "delay": ports["delay"],
        }


def main(argv: list[str]) -> None:
    delay = DEFAULT_DELAY
    if "--delay" in argv:
        delay = float(argv[argv.index("--delay") + 1])
    with suppress(KeyboardInterrupt):
        asyncio.run(serve(delay=delay))


if __name__ == "__main__":
    main(sys.argv[1:])
