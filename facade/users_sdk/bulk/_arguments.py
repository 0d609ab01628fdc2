"""The bulk helpers' own arguments, checked before the first row is read:
the client, the rows, the callbacks and the bounded numbers (built on
`users_sdk._input.values`, the SDK's checks of single values)."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import Any

from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from .._input import values as check

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_ATTEMPTS",
    "MAX_CONCURRENCY",
    "callback",
    "checked_client",
    "checked_rows",
    "positive",
]

DEFAULT_CONCURRENCY = 8
# The SDK's connection pool holds 100 connections; more rows in flight would
# only wait for one.
MAX_CONCURRENCY = 100
# Attempts per call (create, invite) before a throttled row is given up as failed.
# Generous on purpose: the rows in flight share a storm's 429s unevenly (with
# ten, one row of a 40-answer storm sometimes met more and failed), and
# riding a storm out is the point of an import. Transient failures give up
# after three retries whatever this says.
DEFAULT_MAX_ATTEMPTS = 100


def checked_client(client: object, expected: type, name: str, twin: str) -> None:
    """A UsersClient for the sync functions, an AsyncUsersClient for the async ones."""
    if isinstance(client, expected):
        return
    given = type(client).__name__
    if given in {"UsersClient", "AsyncUsersClient"}:
        advice = f"; {twin}() takes {_a(given)}"
    else:
        advice = f": make one with {expected.__name__}(base_url=..., token=...)"
    raise InvalidArgumentTypeError(f"{name}() takes {_a(expected.__name__)}, not {given}{advice}")


def _a(name: str) -> str:
    return f"an {name}" if name.startswith("Async") else f"a {name}"


def checked_rows(rows: object, name: str, *, may_be_async: bool = False) -> None:
    if isinstance(rows, Mapping):
        raise InvalidArgumentTypeError(
            f"{name}() takes an iterable of rows (one mapping per user), not one mapping; "
            "wrap a single row in a list"
        )
    if isinstance(rows, str | bytes) or not (
        isinstance(rows, Iterable) or (may_be_async and isinstance(rows, AsyncIterable))
    ):
        kinds = "an iterable or async iterable" if may_be_async else "an iterable"
        raise InvalidArgumentTypeError(
            f"rows must be {kinds} of mappings (a list, a generator, csv.DictReader), "
            f"not {type(rows).__name__}"
        )


def callback(name: str, value: object) -> Callable[[Any], object] | None:
    if value is not None and not callable(value):
        raise InvalidArgumentTypeError(
            f"{name} must be a function taking one argument, or None; not {check.brief(value)}"
        )
    return value


def positive(name: str, value: object, maximum: int, advice: str) -> int:
    number = check.integer(name, value)
    if not 1 <= number <= maximum:
        raise InvalidArgumentError(f"{name} must be from 1 to {maximum}, not {number}; {advice}")
    return number
