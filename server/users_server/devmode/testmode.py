"""Test mode (`--test-mode`): hooks for tests, recordings and demos. Never in production.

* `Prefer: code=503` (as Prism does) answers that status without running the request.
* `POST /_test/faults` queues statuses for the next requests, so an SDK's first
  attempt can get a 429/503 and its retry can succeed.
* `POST /_test/reset` puts the server back to its seeded state (and the
  deterministic counters and clock back to zero), so recordings start equal.
* `GET /_test/outbox` shows the invitations and reset tokens "mailed".
* `POST /_test/clock` moves the clock forward, e.g. past a token's expiry.
* `POST /_test/tokens` issues another bearer token for a seeded user;
  `/_test/tokens/revoke` and `/_test/tokens/rotate` end one (rules/tokens.py), so
  credential providers can be tested against tokens that stop working.

None of these routes appear in any schema, and without test mode they are 404.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import ApiError
from ..http.bodies import NotNull, RequestBody, parse_body
from ..http.problems import problem_response
from ..rules.auth import Seed
from ..support.clock import format_instant, to_micros

if TYPE_CHECKING:
    from ..state import ServerState

TEST_PREFIX = "/_test"


@dataclass(frozen=True)
class Fault:
    status: int
    retry_after: str | None
    source: str

    def headers(self) -> dict[str, str]:
        retry_after = self.retry_after
        if retry_after is None and self.status in (429, 503):
            retry_after = "1"
        return {"Retry-After": retry_after} if retry_after is not None else {}


class Faults:
    def __init__(self) -> None:
        self._queue: deque[Fault] = deque()
        self._lock = threading.Lock()

    def push(self, fault: Fault, count: int) -> int:
        with self._lock:
            self._queue.extend([fault] * count)
            return len(self._queue)

    def pop(self) -> Fault | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()


def _preferred_status(prefer: str) -> int | None:
    """`Prefer: code=429` (also inside a list: `dynamic=false, code=429`); 400 if not an error."""
    for preference in prefer.replace(";", ",").split(","):
        name, _, value = preference.strip().partition("=")
        if name.strip().lower() == "code":
            value = value.strip().strip('"')
            if not value.isdigit() or not 400 <= int(value) <= 599:
                raise ApiError(400, f"Prefer: code={value} is not an error status (400-599).")
            return int(value)
    return None


class FaultMiddleware:
    """Answers a forced status before anything else runs (auth included)."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(TEST_PREFIX):
            await self.app(scope, receive, send)
            return
        prefer = next((v for k, v in scope["headers"] if k == b"prefer"), None)
        try:
            status = _preferred_status(prefer.decode("latin-1")) if prefer else None
        except ApiError as error:
            await problem_response(error.status, error.detail, scope)(scope, receive, send)
            return
        fault = Fault(status, None, "Prefer: code") if status else self.faults.pop()
        if fault is None:
            await self.app(scope, receive, send)
            return
        detail = f"Forced by the test mode ({fault.source}={fault.status})."
        response = problem_response(fault.status, detail, scope, headers=fault.headers())
        await response(scope, receive, send)


class FaultRequest(RequestBody):
    # Null is `null_not_allowed`, as it is for a user's `status`: one answer for one mistake.
    status: Annotated[int, Field(ge=400, le=599), NotNull]
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    retry_after: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class ClockRequest(RequestBody):
    advance_seconds: Annotated[float, Field(ge=0, le=10 * 365 * 86400)]


class TokenRequest(RequestBody):
    # Names a seeded user (the one the configured token of that name belongs to).
    role: Annotated[Seed, NotNull] = "owner"


class TokenChange(RequestBody):
    token: Annotated[str, Field(min_length=1, max_length=1000), NotNull]


router = APIRouter(prefix=TEST_PREFIX, include_in_schema=False)


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


@router.get("/outbox")
async def outbox(
    request: Request,
    kind: Annotated[str | None, Query()] = None,
    email: Annotated[str | None, Query()] = None,
) -> JSONResponse:
    """Messages "sent", newest last; optionally only one kind or one recipient."""
    messages = [
        message.to_json()
        for message in _state(request).outbox.messages()
        if (kind is None or message.kind == kind)
        and (email is None or message.email.lower() == email.lower())
    ]
    return JSONResponse(messages)


@router.post("/reset")
async def reset(request: Request) -> Response:
    _state(request).reset()
    return Response(status_code=204)


@router.post("/faults")
async def queue_faults(request: Request) -> JSONResponse:
    data = parse_body(await request.body(), FaultRequest)
    fault = Fault(data.status, data.retry_after, "POST /_test/faults status")
    pending = _state(request).faults.push(fault, data.count)
    return JSONResponse({"pending": pending})


@router.delete("/faults")
async def clear_faults(request: Request) -> Response:
    _state(request).faults.clear()
    return Response(status_code=204)


@router.post("/clock")
async def advance_clock(request: Request) -> JSONResponse:
    data = parse_body(await request.body(), ClockRequest)
    clock = _state(request).clock
    clock.advance(data.advance_seconds)
    now: dict[str, Any] = {"now": format_instant(to_micros(clock.now()))}
    return JSONResponse(now)


def _not_accepted() -> ApiError:
    return ApiError(404, "The server accepts no such bearer token (unknown, or revoked).")


@router.post("/tokens")
async def issue_token(request: Request) -> JSONResponse:
    raw = await request.body()
    # No body at all: the defaults, as `{}` (every field is optional).
    data = parse_body(raw if raw.strip() else b"{}", TokenRequest)
    token = _state(request).tokens.issue(data.role)
    return JSONResponse({"token": token}, status_code=201)


@router.post("/tokens/revoke")
async def revoke_token(request: Request) -> Response:
    data = parse_body(await request.body(), TokenChange)
    if not _state(request).tokens.revoke(data.token):
        raise _not_accepted()
    return Response(status_code=204)


@router.post("/tokens/rotate")
async def rotate_token(request: Request) -> JSONResponse:
    data = parse_body(await request.body(), TokenChange)
    token = _state(request).tokens.rotate(data.token)
    if token is None:
        raise _not_accepted()
    return JSONResponse({"token": token}, status_code=201)
