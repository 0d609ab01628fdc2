"""Checks of local input, made before any request is sent.

Each failure raises an SDK error that is also a ValueError or TypeError and
says what to pass instead.
"""

from __future__ import annotations

import datetime
import math
import uuid as _uuid
from collections.abc import Iterable, Mapping
from typing import Any

from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError

# Characters that would let an id step out of its path segment or corrupt the line.
_FORBIDDEN_ID_CHARACTERS = frozenset("/\\?#") | {chr(c) for c in range(0x20)} | {"\x7f"}
# The characters of a header name (RFC 9110 token).
_TOKEN_CHARACTERS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
# How much of a value an error message quotes.
_BRIEF = 80


def brief(value: object) -> str:
    """repr(value) for an error message: shortened, and never failing itself
    (repr of an int of 5,000 digits raises ValueError)."""
    try:
        text = repr(value)
    except Exception:
        return f"a {type(value).__name__}"
    return text if len(text) <= _BRIEF else text[: _BRIEF - 3] + "..."


def path_segment(name: str, value: object, reserved: frozenset[str] = frozenset()) -> str:
    """An id that can only ever address its own operation: exactly one path
    segment, and none of the literal segments (`reserved`, such as `me`) that
    other paths of the spec have in its place, which would reach that other
    operation (get("me") returned the caller's own user)."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(
            f"{name} must be a str such as 'usr_0001', not {type(value).__name__}"
        )
    if not value.strip():
        raise InvalidArgumentError(f"{name} must not be empty; pass the id")
    if value in {".", ".."} or value in reserved:
        raise InvalidArgumentError(f"{name} {value!r} is not an id")
    bad = sorted(_FORBIDDEN_ID_CHARACTERS.intersection(value))
    if bad:
        raise InvalidArgumentError(
            f"{name} {brief(value)} contains {', '.join(repr(c) for c in bad)}; "
            "an id is one path segment"
        )
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Percent-encoding the path would raise UnicodeEncodeError instead.
            raise InvalidArgumentError(
                f"{name} {brief(value)} contains a lone surrogate; it is not valid Unicode"
            ) from None
    return value


def idempotency_key(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"idempotency_key must be a str, not {type(value).__name__}")
    if (
        not 1 <= len(value) <= 255
        or not value.isascii()
        or not value.isprintable()
        or value != value.strip()  # httpx2 refuses it at send time, as a network error
    ):
        raise InvalidArgumentError(
            "idempotency_key must be 1 to 255 printable ASCII characters, "
            "without leading or trailing spaces"
        )
    return value


def if_match(value: object) -> str:
    """`If-Match` from a version (3) or an ETag ('"3"')."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidArgumentTypeError(
            f"if_match must be the version (int) or ETag (str) you last read, not {brief(value)}"
        )
    if isinstance(value, int):
        # Versions are 64-bit; formatting an int of 5,000 digits raised ValueError.
        if not 0 <= value < 2**63:
            raise InvalidArgumentError("if_match must be a version from 0 to 2**63 - 1")
        return f'"{value}"'
    if not value or not value.isascii() or not value.isprintable() or value != value.strip():
        raise InvalidArgumentError(f"if_match {brief(value)} is not an ETag or a version")
    return value


def header_name(name: object) -> str:
    """A header name httpx2 can send (an RFC 9110 token)."""
    if not isinstance(name, str) or not name or not all(c in _TOKEN_CHARACTERS for c in name):
        raise InvalidArgumentError(
            f"header name {brief(name)} is not a token (letters, digits and !#$%&'*+-.^_`|~)"
        )
    return name


def header_value(name: str, value: object) -> str:
    """A header value httpx2 can send: printable ASCII, no line break. The
    message never quotes the value: it may be a credential."""
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"header {name} must be a str, not {type(value).__name__}")
    if value != value.strip():
        # httpx2 would refuse it as it sends, as a network error (LocalProtocolError).
        raise InvalidArgumentError(
            f"header {name} has leading or trailing whitespace: strip it "
            "(the value is not shown: it may be a credential)"
        )
    bad = next((i for i, c in enumerate(value) if not (c.isascii() and c.isprintable())), None)
    if bad is not None:
        raise InvalidArgumentError(
            f"header {name} has a character that is not printable ASCII at position {bad} "
            f"of {len(value)} (a line break or a control character?)"
        )
    return value


def text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentTypeError(f"{name} must be True or False, not {brief(value)}")
    return value


def string_list(name: str, value: object) -> list[str]:
    # Not a dict either: iterating one gives its keys, silently dropping the values.
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgumentTypeError(
            f"{name} must be a list of str, such as ['engineering'], not {type(value).__name__}"
        )
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise InvalidArgumentTypeError(
                f"every item of {name} must be a str, not {type(item).__name__}"
            )
    return items


def one_or_many(name: str, value: object) -> list[str]:
    """A filter that takes one value or several: 'admin' or ['admin', 'owner']."""
    if isinstance(value, str):
        return [value]
    items = string_list(name, value)
    if not items:
        # An empty list sent no filter at all, so it listed every user: the
        # opposite of what "any of these (none)" means.
        raise InvalidArgumentError(
            f"{name} must name at least one value; leave it out (None) to match any {name}"
        )
    return items


def string_map(name: str, value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidArgumentTypeError(
            f"{name} must be a dict of str to str, not {type(value).__name__}"
        )
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise InvalidArgumentTypeError(
                f"{name} must map str to str; got {brief(key)}: {type(item).__name__}"
            )
    return dict(value)


def integer(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgumentTypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def number(name: str, value: object) -> float:
    # inf and NaN are not JSON: the body could not be sent.
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidArgumentTypeError(f"{name} must be a finite number, not {brief(value)}")
    return value


def within(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    """A number inside the range the spec gives (either end may be open)."""
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if minimum is not None and maximum is not None:
            expected = f"between {minimum} and {maximum}"
        elif minimum is not None:
            expected = f"at least {minimum}"
        else:
            expected = f"at most {maximum}"
        raise InvalidArgumentError(f"{name} must be {expected}, not {brief(value)}")


def any_list(name: str, value: object) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgumentTypeError(f"{name} must be a list, not {type(value).__name__}")
    return list(value)


def instant(name: str, value: object) -> datetime.datetime:
    """A datetime, or an ISO 8601 string of one; naive values are refused."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise InvalidArgumentError(
                f"{name} must be an ISO 8601 date-time such as '2026-01-01T00:00:00Z', "
                f"not {brief(value)}"
            ) from None
    if not isinstance(value, datetime.datetime):
        raise InvalidArgumentTypeError(
            f"{name} must be a datetime or an ISO 8601 str, not {type(value).__name__}"
        )
    if value.tzinfo is None:
        raise InvalidArgumentError(
            f"{name} must carry a time zone (for example datetime.timezone.utc)"
        )
    return value


def date(name: str, value: object) -> datetime.date:
    """A date, or an ISO 8601 string of one."""
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise InvalidArgumentError(
                f"{name} must be an ISO 8601 date such as '2026-01-31', not {brief(value)}"
            ) from None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise InvalidArgumentTypeError(
            f"{name} must be a date or an ISO 8601 str, not {type(value).__name__}"
        )
    return value


def uuid(name: str, value: object) -> _uuid.UUID:
    """A UUID, or a string of one."""
    if isinstance(value, _uuid.UUID):
        return value
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(
            f"{name} must be a uuid.UUID or a str, not {type(value).__name__}"
        )
    try:
        return _uuid.UUID(value)
    except ValueError:
        raise InvalidArgumentError(f"{name} must be a UUID, not {brief(value)}") from None


def non_empty(name: str, value: object) -> str:
    checked = text(name, value)
    if not checked:
        raise InvalidArgumentError(f"{name} must not be empty")
    return checked


def email(name: str, value: object) -> str:
    """An email address: one "@" between a non-empty local part and domain, and
    no whitespace. Only what is surely not an address is refused here; the API
    judges the rest (sent as given, it stays a str on the wire)."""
    checked = text(name, value)
    local, _, domain = checked.partition("@")
    if not local or not domain or "@" in domain or any(c.isspace() for c in checked):
        raise InvalidArgumentError(
            f"{name} must be an email address such as 'ada@example.com', not {brief(value)}"
        )
    return checked


def mapping(name: str, value: object) -> dict[str, Any]:
    """A dict of names to values (extra_query, extra_body, params)."""
    if not isinstance(value, Mapping):
        raise InvalidArgumentTypeError(f"{name} must be a dict, not {type(value).__name__}")
    for key in value:
        if not isinstance(key, str):
            raise InvalidArgumentTypeError(f"the keys of {name} must be str, not {brief(key)}")
    return dict(value)


def body_mapping(name: str, value: object) -> dict[str, Any]:
    """A request body given as a dict or as a model with to_dict()."""
    if isinstance(value, Mapping):
        return dict(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        converted = to_dict()
        if isinstance(converted, Mapping):
            return dict(converted)
    raise InvalidArgumentTypeError(
        f"{name} must be a dict or a {name} model, not {type(value).__name__}"
    )
