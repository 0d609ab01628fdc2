"""Non-2xx responses into the SDK's error tree."""

from __future__ import annotations

import json
from http import HTTPStatus

import httpx2

from . import _lazy, _retries
from ._exceptions import RateLimitError, UnexpectedResponseError, status_error_class

__all__ = ["error_for"]

_KNOWN_STATUSES = frozenset(status.value for status in HTTPStatus)


def error_for(response: httpx2.Response) -> Exception:
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
