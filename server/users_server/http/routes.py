"""The operations of openapi.yaml.

Each handler checks in the same order: credential (401), role (403), path
(404), then the body (422) and the state (404/409/412). Bodies are parsed by
`bodies.parse_body`, not by FastAPI, to keep that order and to tell an absent
field from a `null`. Mutations go through `_idempotent`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from ..errors import ApiError, FieldError, validation_error
from ..rules.auth import Authenticator, Principal
from ..rules.cursors import CursorCodec
from ..rules.idempotency import Idempotency
from ..rules.passwords import PasswordResets
from ..rules.users import User, UserStore
from ..spec import ApiSchema
from ..store.listing import Filters, fingerprint, parse_sort
from ..support.clock import parse_instant
from .bodies import PasswordBodies, UserBodies, changes, parse_body
from .headers import bounded_header
from .query import declare_query


class ServedState(Protocol):
    """What the routes read of a server's state (`state.ServerState`, in app.state.server).

    Declared here, not imported: the state wires every layer, this one included.
    """

    schema: ApiSchema
    bodies: UserBodies
    password_bodies: PasswordBodies
    auth: Authenticator
    users: UserStore
    passwords: PasswordResets
    idempotency: Idempotency
    cursors: CursorCodec


router = APIRouter()
_USER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _state(request: Request) -> ServedState:
    state: ServedState = request.app.state.server
    return state


async def _idempotent(
    request: Request, scope: str, action: Callable[[bytes], Response]
) -> Response:
    """`action(body)`; with an Idempotency-Key, once per key of `scope` (rules/idempotency.py)."""
    state = _state(request)
    body = await request.body()
    key = bounded_header(request.headers, "idempotency-key", state.schema.headers)
    if key is None:
        return action(body)
    return state.idempotency.run(
        scope, key, method=request.method, path=request.url.path, body=body, action=action
    )


async def _authenticate(request: Request) -> Principal:
    return _state(request).auth.authenticate(request.headers)


Authenticated = Annotated[Principal, Depends(_authenticate)]


def _check_user_id(user_id: str) -> None:
    # Not the contract's 422: an id that breaks the pattern names no user, and
    # get/delete/invite document 404, not 422.
    if not _USER_ID.fullmatch(user_id):
        raise ApiError(404, "No user has this id (ids are 1-64 of A-Z a-z 0-9 _ -).")


def _user_response(
    user: User, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(user.to_json(), status, headers={"ETag": user.etag} | (headers or {}))


def _instant(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    micros = parse_instant(value)
    if micros is None:
        message = "value is not an RFC 3339 date-time"
        raise validation_error([FieldError(f"query.{name}", message, "invalid_datetime")])
    return micros


def build_router(schema: ApiSchema) -> APIRouter:
    """Every operation, with listUsers' query parameters declared as `schema` declares them."""
    bound = APIRouter()
    bound.add_api_route("/v1/users", declare_query(list_users, schema.list_users), methods=["GET"])
    # The routes themselves, not include_router: problems.py reads each route's path_regex.
    bound.routes.extend(router.routes)
    return bound


async def list_users(
    request: Request,
    principal: Authenticated,
    # Keyword-only: the query parameters this server implements. Their bounds,
    # enums and defaults are the spec's (query.declare_query).
    *,
    limit: int,
    cursor: str | None,
    sort: str,
    role: list[str] | None,
    status: list[str] | None,
    q: str | None,
    email_domain: str | None,
    group: str | None,
    created_after: str | None,
    created_before: str | None,
    account_id: str | None,
) -> Response:
    state = _state(request)
    filters = Filters(
        roles=tuple(role or ()),
        statuses=tuple(status or ()),
        q=q,
        email_domain=email_domain,
        group=group,
        created_after=_instant("created_after", created_after),
        created_before=_instant("created_before", created_before),
        account_id=account_id,
    )
    # An empty `sort=` is the default order, as if it were left out.
    sort_keys = parse_sort(sort or state.schema.list_users.default("sort", sort))
    bound_to = fingerprint(filters, sort_keys)
    position = state.cursors.decode(cursor, bound_to, len(sort_keys)) if cursor else None
    page = state.users.list_page(filters, sort_keys, limit, position)
    body: dict[str, Any] = {
        "items": [user.to_json() for user in page.users],
        "limit": limit,
        "next_cursor": state.cursors.encode(page.next, bound_to) if page.next else None,
        "previous_cursor": (
            state.cursors.encode(page.previous, bound_to) if page.previous else None
        ),
    }
    return JSONResponse(body)


@router.post("/v1/users")
async def create_user(request: Request, principal: Authenticated) -> Response:
    principal.require_manager("create users")
    state = _state(request)

    def create(body: bytes) -> Response:
        data = parse_body(body, state.bodies.create).model_dump()
        if data["send_invite"] and data["status"] != "invited":
            message = "an invitation can only be sent to a user created as invited"
            raise validation_error([FieldError("send_invite", message, "invite_not_applicable")])
        user, _ = state.users.create(data)
        return _user_response(user, 201, {"Location": f"/v1/users/{user.id}"})

    return await _idempotent(request, principal.credential.label, create)


# Declared before /v1/users/{user_id}, which would otherwise take "me" for an id.
@router.get("/v1/users/me")
async def get_current_user(principal: Authenticated) -> Response:
    return _user_response(principal.user)


def _public_scope(request: Request) -> str:
    """Idempotency scope of the public operations: the credential if one is sent and good."""
    try:
        credential = _state(request).auth.credential(request.headers)
    except ApiError:
        credential = None  # the public operations ignore credentials, good or bad
    return credential.label if credential else "anonymous"


@router.post("/v1/users/reset-password")
async def reset_user_password(request: Request) -> Response:
    state = _state(request)

    def reset(body: bytes) -> Response:
        data = parse_body(body, state.password_bodies.reset_request).model_dump()
        state.passwords.request(data["email"])
        return Response(status_code=202)

    return await _idempotent(request, _public_scope(request), reset)


@router.post("/v1/users/set-password")
async def set_user_password(request: Request) -> Response:
    state = _state(request)

    def set_password(body: bytes) -> Response:
        data = parse_body(body, state.password_bodies.set_password).model_dump()
        state.passwords.set_password(data["reset_token"], data["password"])
        return Response(status_code=204)

    return await _idempotent(request, _public_scope(request), set_password)


@router.get("/v1/users/{user_id}")
async def get_user(user_id: str, request: Request, principal: Authenticated) -> Response:
    _check_user_id(user_id)
    return _user_response(_state(request).users.require(user_id))


@router.patch("/v1/users/{user_id}")
async def update_user(user_id: str, request: Request, principal: Authenticated) -> Response:
    principal.require_manager("update users")
    _check_user_id(user_id)
    state = _state(request)

    def update(body: bytes) -> Response:
        if_match = bounded_header(request.headers, "if-match", state.schema.headers)
        sent = changes(parse_body(body, state.bodies.update))
        return _user_response(state.users.update(user_id, sent, if_match))

    return await _idempotent(request, principal.credential.label, update)


@router.delete("/v1/users/{user_id}")
async def delete_user(user_id: str, request: Request, principal: Authenticated) -> Response:
    principal.require_manager("delete users")
    _check_user_id(user_id)
    state = _state(request)

    def delete(body: bytes) -> Response:
        state.users.delete(user_id)
        return Response(status_code=204)

    return await _idempotent(request, principal.credential.label, delete)


@router.post("/v1/users/{user_id}/invite")
async def invite_user(user_id: str, request: Request, principal: Authenticated) -> Response:
    principal.require_manager("invite users")
    _check_user_id(user_id)
    state = _state(request)

    def invite(body: bytes) -> Response:
        invitation = state.users.invite(user_id)
        return JSONResponse(invitation.to_json(), 202)

    return await _idempotent(request, principal.credential.label, invite)
