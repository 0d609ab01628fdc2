"""Cassettes against the spec: what the record/replay plugin reports, and how.

VCR holds an interaction as a request object and a response dict (in memory)
or as two dicts (in a cassette file); both become an `Exchange` for the
`Contract` of the installed spec. Only the Users API's interactions are
checked: a cassette may also hold a test's calls to other services.
"""

from __future__ import annotations

import contextlib
import functools
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ..openapi import load_spec
from . import _scrub
from ._cassette_contract import Contract, Exchange
from ._scrub import is_users_api

__all__ = [
    "Mismatch",
    "contract",
    "exchange_from_file",
    "exchange_from_vcr",
    "is_users_api",
    "mismatches",
]

REPLAYED_ADVICE = "the cassette predates the current spec: re-record it"
RECORDED_ADVICE = (
    "the API answered what the spec users-sdk was generated from does not allow: "
    "check the base URL, or upgrade users-sdk"
)


@dataclass(frozen=True)
class Mismatch:
    """An interaction of a cassette that the spec does not allow."""

    cassette: str  # as shown: relative to the rootdir when it can be
    interaction: int  # 1-based, in the cassette's order
    operation: str  # "GET /v1/users/{user_id}"
    problems: tuple[str, ...]

    def message(self, advice: str = REPLAYED_ADVICE) -> str:
        return (
            f"cassette {self.cassette}, interaction {self.interaction}, {self.operation}: "
            f"{'; '.join(self.problems)}; {advice}"
        )


@functools.cache
def contract() -> Contract:
    """The installed spec, compiled (once per process)."""
    return Contract(load_spec())


def _lower(headers: Mapping[str, Any]) -> dict[str, str]:
    """Header names in lower case, each with its first value (VCR keeps lists)."""
    lowered = {}
    for name, value in headers.items():
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        lowered[name.lower()] = value if isinstance(value, str) else str(value)
    return lowered


def _body(response: Mapping[str, Any], headers: Mapping[str, str]) -> bytes | str | None:
    body = response.get("body", {}).get("string")
    # A suite whose VCR options keep compressed bodies: read them as the client did.
    if isinstance(body, bytes) and headers.get("content-encoding") in ("gzip", "deflate"):
        with contextlib.suppress(zlib.error):  # not compressed after all: as it is
            body = zlib.decompress(body, wbits=47)  # 47: gzip or zlib, by the header
    return body  # type: ignore[no-any-return]


def _exchange(
    method: str, uri: str, request_headers: Mapping[str, Any], response: Mapping[str, Any]
) -> Exchange:
    response_headers = _lower(response.get("headers", {}))
    return Exchange(
        method=method,
        uri=uri,
        request_headers=_lower(request_headers),
        status=int(response.get("status", {}).get("code", 0)),
        response_headers=response_headers,
        response_body=_body(response, response_headers),
    )


def exchange_from_vcr(request: Any, response: Mapping[str, Any]) -> Exchange:
    """An interaction of a loaded cassette (`cassette.data`)."""
    return _exchange(request.method, request.uri, dict(request.headers), response)


def exchange_from_file(interaction: Mapping[str, Any]) -> Exchange:
    """An interaction as a cassette file holds it."""
    request = interaction["request"]
    return _exchange(
        request["method"], request["uri"], request.get("headers", {}), interaction["response"]
    )


def mismatches(
    cassette: str, exchanges: Iterable[tuple[int, Exchange]], ignored_paths: Iterable[str] = ()
) -> list[Mismatch]:
    """Every Users API interaction of `exchanges` (1-based index, exchange) the spec
    refuses, but those whose path starts with one of `ignored_paths`."""
    checker = contract()
    ignored = tuple(ignored_paths)
    found = []
    for index, exchange in exchanges:
        if not is_users_api(exchange.uri) or (
            ignored and urlsplit(exchange.uri).path.startswith(ignored)
        ):
            continue
        if _scrub.origin_of(exchange.uri) != _scrub.PLACEHOLDER_BASE_URL:
            # Being recorded, not yet scrubbed: a message quotes values, and must
            # quote what the cassette will hold (no token, no secret field).
            exchange = replace(
                exchange,
                uri=_scrub.scrub_uri(exchange.uri),
                response_body=_scrub.scrub_body(exchange.response_body),
            )
        operation, problems = checker.check(exchange)
        if problems:
            found.append(Mismatch(cassette, index, operation, tuple(problems)))
    return found
