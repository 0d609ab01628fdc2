"""The errors a client can act on, as values: what every layer raises.

Storage (a bad sort), the rules (a conflict, a bad cursor) and the edge (a bad
body) raise these; only `http/problems.py` knows how they look on the wire
(RFC 9457 problem documents). Kept here, importing nothing, so that the lower
layers can raise them without depending on the HTTP edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One bad field of a 422: `email`, `groups.1`, `query.limit`, `header.if-match`."""

    field: str
    message: str
    code: str


class ApiError(Exception):
    """An error the client can act on; rendered as a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = dict(headers or {})


def validation_error(errors: Sequence[FieldError]) -> ApiError:
    """A 422 listing `errors`, one per field."""
    count = len(errors)
    detail = "1 field is not valid." if count == 1 else f"{count} fields are not valid."
    return ApiError(422, detail, errors=errors)
