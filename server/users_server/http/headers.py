"""The request headers the spec bounds (Idempotency-Key, If-Match), checked as a 422.

FastAPI does not declare these headers, so nothing else checks them: an
over-long or empty value would otherwise be used as it is (an If-Match of 300
characters answered 412, as if it were a version). The field is named
`header.<name>`, as FastAPI names a bad query parameter `query.<name>`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers

from ..errors import FieldError, validation_error
from ..spec import Limits


def bounded_header(headers: Headers, name: str, limits: Mapping[str, Limits]) -> str | None:
    """The header's value, None when it is absent; a 422 when it breaks the spec's lengths."""
    value = headers.get(name)
    bounds = limits.get(name)
    if value is None or bounds is None:
        return value
    if bounds.min_length is not None and len(value) < bounds.min_length:
        message = f"at least {bounds.min_length} characters"
        raise validation_error([FieldError(f"header.{name}", message, "string_too_short")])
    if bounds.max_length is not None and len(value) > bounds.max_length:
        message = f"at most {bounds.max_length} characters"
        raise validation_error([FieldError(f"header.{name}", message, "string_too_long")])
    return value
