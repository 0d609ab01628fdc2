"""Another API than the Users API, for the proofs that users_sdk.testing leaves
other suites alone: a tiny deterministic service on loopback (the same bytes for
the same requests, every run), shared as the `other_api` fixture (tests/conftest.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

AUTHORIZATION = "Bearer other-service-secret"


class _OtherApi(BaseHTTPRequestHandler):
    """Another API, not the Users API: same bytes for the same requests, every run."""

    def version_string(self) -> str:
        return "OtherAPI/1.0"

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Mon, 02 Mar 2026 10:00:00 GMT"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, payload: Any, *extra: tuple[str, str]) -> None:
        body = json.dumps(payload).encode()  # json.dumps's spaces: not compacted JSON
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == AUTHORIZATION:
            return True
        self._reply(401, {"error": "unknown client"})
        return False

    def do_GET(self) -> None:
        if not self._authorized():
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path != "/items":
            self._reply(404, {"error": "not found"})
        elif query.get("token") != ["tok-123"]:
            self._reply(401, {"error": "bad token"})
        elif query.get("page") == ["2"]:
            self._reply(200, {"items": ["plum"]})
        else:
            self._reply(200, {"items": ["apple", "pear"]})

    def do_POST(self) -> None:
        if not self._authorized():
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        if self.path == "/login" and body == {"username": "ann", "password": "hunter2"}:
            user = {"id": 7, "name": "Ann"}
            payload = {"token": "tok-123", "password": "hunter2", "user": user}
            self._reply(200, payload, ("Set-Cookie", "session=abc123; Path=/"))
        elif self.path == "/echo":
            self._reply(200, {"received": body})
        else:
            self._reply(400, {"error": "bad request"})


@pytest.fixture(scope="module")
def other_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OtherApi)
    # A short poll interval: shutdown() waits for one.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
