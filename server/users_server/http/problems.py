"""Errors as RFC 9457 problem documents (`application/problem+json`).

Handlers and the layers below them raise `ApiError` (errors.py); the
exception handlers installed here, and the middlewares that answer on their
own (413, forced statuses, 500), all render through `problem_response`, so
every error has the same shape and carries the request id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import Scope

from ..errors import ApiError, FieldError, validation_error

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "https://users.example.com/problems/"
# status -> (type slug, title). Titles follow RFC 9110 (413 is "Content Too Large" there).
_KINDS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad Request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not Found"),
    405: ("method-not-allowed", "Method Not Allowed"),
    409: ("conflict", "Conflict"),
    412: ("precondition-failed", "Precondition Failed"),
    413: ("content-too-large", "Content Too Large"),
    422: ("validation", "Unprocessable Entity"),
    429: ("rate-limited", "Too Many Requests"),
    500: ("internal", "Internal Server Error"),
    501: ("not-implemented", "Not Implemented"),
    503: ("unavailable", "Service Unavailable"),
}
WWW_AUTHENTICATE = 'Bearer realm="users", ApiKey realm="users", header="X-API-Key"'


def problem_body(
    status: int, detail: str, scope: Scope, errors: Sequence[FieldError] = ()
) -> dict[str, Any]:
    slug, title = _KINDS.get(status, ("", ""))
    if not slug:
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = "Error"
        slug = title.lower().replace(" ", "-") if title else "error"
    body: dict[str, Any] = {
        "type": _TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": scope.get("path"),
        "request_id": scope.get("state", {}).get("request_id"),
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message, "code": e.code} for e in errors]
    return body


def problem_response(
    status: int,
    detail: str,
    scope: Scope,
    *,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    content = json.dumps(
        problem_body(status, detail, scope, errors), ensure_ascii=False, separators=(",", ":")
    )
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)
    return Response(content, status, headers=all_headers, media_type=PROBLEM_MEDIA_TYPE)


def field_errors(raw: Iterable[Mapping[str, Any]], *, strip: str | None = None) -> list[FieldError]:
    """Pydantic/FastAPI error dicts as one FieldError per field (the first reason wins)."""
    found: dict[str, FieldError] = {}
    for error in raw:
        loc = [str(part) for part in error.get("loc", ())]
        if strip is not None and loc[:1] == [strip]:
            loc = loc[1:]
        field = ".".join(loc) or "body"
        if field not in found:
            found[field] = FieldError(field, str(error.get("msg", "")), str(error.get("type", "")))
    return list(found.values())


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return problem_response(
        exc.status, exc.detail, request.scope, errors=exc.errors, headers=exc.headers
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    # Starlette's own errors: an unknown route (404) or method (405).
    assert isinstance(exc, StarletteHTTPException)
    detail, headers = str(exc.detail), dict(exc.headers or {})
    if exc.status_code == 404:
        detail = f"There is nothing at {request.url.path}."
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
        # Starlette names the methods of the first matching route only; FastAPI
        # makes one route per method, so gather those of the same path template.
        # Only that template: `/v1/users/{user_id}` matches `/v1/users/me` too,
        # but its methods are not those of the path the spec declares.
        routes = request.app.state.api_routes
        path = request.url.path
        first = next((route for route in routes if route.path_regex.match(path)), None)
        methods = {
            method
            for route in routes
            if first is not None and route.path == first.path
            for method in route.methods
        }
        headers["Allow"] = ", ".join(sorted(methods))
    return problem_response(exc.status_code, detail, request.scope, headers=headers)


async def _request_validation_error(request: Request, exc: Exception) -> Response:
    # FastAPI's own validation of query, path and header parameters: one entry
    # per field (`query.limit`), instead of FastAPI's default `{"detail": [...]}`.
    assert isinstance(exc, RequestValidationError)
    error = validation_error(field_errors(exc.errors()))
    return problem_response(422, error.detail, request.scope, errors=error.errors)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
