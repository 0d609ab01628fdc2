"""Non-2xx responses into the SDK's error tree."""

from __future__ import annotations

import json
from http import HTTPStatus

import httpx2

from . import _lazy, _retries
from ._exceptions import (
    NotFoundError,
    RateLimitError,
    UnexpectedResponseError,
    status_error_class,
)
from ._not_found import not_found_hint

__all__ = ["error_for"]

_KNOWN_STATUSES = frozenset(status.value for status in HTTPStatus)


def error_for(
    response: httpx2.Response,
    *,
    base_url: str | None = None,
    path: str | None = None,
    has_id: bool = True,
) -> Exception:
    """The SDK's error for a response that is not a success.

    With the client's `base_url` and the call's `path` (the operation's
    template, or a raw request's path; `has_id`: whether it names a resource),
    a 404 can tell a missing user from a wrong base URL (`_not_found`).
    """
    status = response.status_code
    if status < 400 or status not in _KNOWN_STATUSES:
        return UnexpectedResponseError(
            f"status {status} is not one the API uses",
            response=response,
            body=_body_of(response),
        )
    body = _body_of(response)
    problem = _lazy.parsing.parse_problem(body)
    error_class = status_error_class(status)
    if error_class is RateLimitError:
        return RateLimitError(
            response=response,
            body=body,
            problem=problem,
            retry_after=_retries.retry_after(response.headers),
        )
    if error_class is NotFoundError and base_url is not None and path is not None:
        hint = not_found_hint(
            response.request,
            base_url=base_url,
            path=path,
            has_id=has_id,
            is_problem=problem is not None,
        )
        return NotFoundError(response=response, body=body, problem=problem, hint=hint)
    return error_class(response=response, body=body, problem=problem)


def _body_of(response: httpx2.Response) -> object:
    """The decoded body of an error response: JSON when it is JSON, else text."""
    content = response.content
    if not content:
        return None
    if "json" in response.headers.get("content-type", ""):
        try:
            return json.loads(content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            pass  # kept as text; RecursionError: nested too deeply ("[[[[...")
    return content[:2000].decode("utf-8", errors="replace")
