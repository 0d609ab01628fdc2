"""Request bodies and queries from the caller's arguments, checked by the kind
of each field that the spec gives (users_api_client.sdk.params).

Nothing here names a field: a field or parameter the spec gains is checked by
its kind after `make generate`, with no change here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from .._request_facts import KINDS, Kind
from . import values as check

_Check = Callable[[str, Any], Any]

# The checks the generated KINDS name (scripts/sdk_codegen/kinds.py), each of
# which checks a value and makes it ready for the wire. A new kind names one
# of these, or a new one added here: until it is, importing users_sdk fails
# naming it.
_CHECKS: dict[str, _Check] = {
    "text": check.text,
    "non_empty": check.non_empty,  # an empty filter matches nothing useful
    "email": check.email,
    "integer": check.integer,
    "number": check.number,
    "boolean": check.boolean,
    "instant": lambda name, value: check.instant(name, value).isoformat(),
    "date": lambda name, value: check.date(name, value).isoformat(),
    "uuid": lambda name, value: str(check.uuid(name, value)),
    "string_list": check.string_list,  # of text or enum values; other items: any list
    "one_or_many": check.one_or_many,
    "string_map": check.string_map,
    "body_mapping": check.body_mapping,
}


def _by_kind(*, query: bool) -> dict[str, _Check]:
    checks: dict[str, _Check] = {}
    for kind, facts in KINDS.items():
        name = facts.query_check if query else facts.check
        if name not in _CHECKS:
            raise RuntimeError(f"the generated kind {kind!r} names a check users_sdk lacks: {name}")
        checks[kind] = _CHECKS[name]
    return checks


# How a value of each kind is checked, in a body and in a query.
_BODY_CHECKS = _by_kind(query=False)
_QUERY_CHECKS = _by_kind(query=True)


def body(
    name: str, kinds: Mapping[str, Kind], given: object, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """The JSON body of `name` (UserCreate, ...) from a dict or model and keyword fields.

    Keyword fields win over the body. Each field is checked by its kind; a
    field the spec does not have is refused before sending, naming the closest
    known one (a typo would otherwise be sent, and silently ignored by the
    API). A field the API gained after this SDK goes through `extra_body`.
    """
    payload = check.body_mapping(name, given) if given is not None else {}
    payload.update(fields)
    for key, value in payload.items():
        kind = kinds.get(key)
        if kind is None:
            raise InvalidArgumentError(_unknown_field(name, key, kinds))
        if value is None:
            if kind.required and not kind.nullable:
                raise InvalidArgumentTypeError(f"{key} cannot be None: {name} requires it")
            if not kind.nullable:
                raise InvalidArgumentTypeError(
                    f"{key} cannot be None; leave it out to keep the current value"
                )
        else:
            payload[key] = _long_enough(kind, key, _checked(_BODY_CHECKS, kind, key, value))
    missing = [key for key, kind in kinds.items() if kind.required and key not in payload]
    if missing:
        raise InvalidArgumentError(f"{', '.join(missing)} is required in {name}")
    return payload


def _unknown_field(name: str, key: object, kinds: Mapping[str, Kind]) -> str:
    import difflib  # only on this error path: `import users_sdk` need not load it

    close = difflib.get_close_matches(str(key), list(kinds), n=1, cutoff=0.6)
    if close:
        return f"{key}: did you mean {close[0]}? {name} has no field {check.brief(key)}"
    return (
        f"{name} has no field {check.brief(key)} (it takes {', '.join(kinds)}); "
        "send a field this SDK does not know yet with extra_body={...}"
    )


def query(operation: str, kinds: Mapping[str, Kind], given: Mapping[str, Any]) -> dict[str, Any]:
    """The query of `operation` from keyword arguments; None leaves a parameter out."""
    checked: dict[str, Any] = {}
    for key, value in given.items():
        kind = kinds.get(key)
        if kind is None:
            raise InvalidArgumentTypeError(
                f"{operation}() got an unexpected keyword argument {key!r}; "
                f"it takes {', '.join(kinds)}"
            )
        if value is None:
            if kind.required:
                raise InvalidArgumentTypeError(
                    f"{key} is required by {operation}; it cannot be None"
                )
            continue
        value = _long_enough(kind, key, _checked(_QUERY_CHECKS, kind, key, value))
        if kind.minimum is not None or kind.maximum is not None:
            check.within(key, value, kind.minimum, kind.maximum)
        checked[key] = value
    return checked


def _long_enough(kind: Kind, key: str, value: Any) -> Any:
    """A string at least as long as the spec's minLength (an empty reset token,
    a 5-character password): the API would refuse it with a 422."""
    if kind.min_length is not None and isinstance(value, str) and len(value) < kind.min_length:
        if kind.min_length == 1:
            raise InvalidArgumentError(f"{key} must not be empty")
        raise InvalidArgumentError(
            f"{key} must be at least {kind.min_length} characters, not {len(value)}"
        )
    return value


def _checked(checks: Mapping[str, _Check], kind: Kind, key: str, value: Any) -> Any:
    # Lists and maps of strings are checked item by item; of anything else,
    # only as a list or a mapping (the API's 422 names a bad item).
    if kind.kind == "list" and kind.items not in ("text", "enum"):
        return check.any_list(key, value)
    if kind.kind == "map" and kind.items not in (None, "text"):
        return check.body_mapping(key, value)
    return checks[kind.kind](key, value)
