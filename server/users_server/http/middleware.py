"""ASGI middlewares that wrap every request, whatever route (or none) it reaches."""

from __future__ import annotations

import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..support.entropy import Entropy, SeededEntropy
from .problems import problem_response

logger = logging.getLogger("users_server")

MAX_BODY_BYTES = 64 * 1024
# Up to this much of a too-large body is read and dropped before answering 413:
# closing a connection with unread data makes TCP reset it, and the client could
# lose the 413 while still sending. Beyond this, the client can have its reset.
_DRAIN_BYTES = 4 * 1024 * 1024


class RequestContextMiddleware:
    """Outermost: gives each request an id, puts it on every response, and turns
    any unexpected exception into a problem+json 500 instead of a bare one."""

    def __init__(self, app: ASGIApp, entropy: Entropy) -> None:
        self.app = app
        self.entropy = entropy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        # Every path this API serves is plain ASCII. A percent-escape can only be
        # an attempt to slip a `/` or `..` past the router (`usr_1%2Finvite`), so
        # it is a 404 here rather than a match on some other route.
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        # Some clients (httpx's ASGITransport) leave the query string in raw_path.
        if b"%" in raw_path.partition(b"?")[0]:
            detail = "There is nothing at this path (percent-escapes are not used by this API)."
            await problem_response(404, detail, scope)(scope, receive, send_with_id)
            return
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unexpected error in %s %s", scope["method"], scope["path"])
            if started:
                raise  # too late for a problem document; the server drops the connection
            detail = f"Unexpected error; quote request id {request_id} when reporting it."
            await problem_response(500, detail, scope)(scope, receive, send_with_id)

    def _request_id(self, scope: Scope) -> str:
        # In deterministic mode the test-mode endpoints (reset, outbox, faults)
        # do not consume request ids: a recorded test's ids then depend on its
        # own API calls only, not on which tests ran before it on this server.
        if isinstance(self.entropy, SeededEntropy) and scope["path"].startswith("/_test/"):
            return "req_test"
        return self.entropy.request_id()


class BodyLimitMiddleware:
    """413 for bodies over 64 KiB, by Content-Length when given and by the bytes
    actually received otherwise (a chunked body, or a client that lies). The body
    is read here in full, so handlers get it from memory."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"The request body exceeds {self.limit} bytes."
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            if int(declared) <= _DRAIN_BYTES:
                await _drain(receive)
            await problem_response(413, too_large, scope)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                if message.get("more_body", False):
                    await _drain(receive)
                await problem_response(413, too_large, scope)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as usual

        await self.app(scope, replay, send)


async def _drain(receive: Receive) -> None:
    received = 0
    while received <= _DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        received += len(message.get("body", b""))
