"""strict_responses=False: a response whose required field is missing or of
the wrong type is parsed anyway, and a UsersSDKWarning says so once.

Only users_sdk._parsing's general path calls this, after the typed decode and
the builders have refused the JSON: a response that matches the spec (or is
only ahead of it) never gets here, so tolerance costs it nothing.

What a field that breaks the spec becomes:
- missing: None;
- a JSON type the spec does not give it (a string for an integer, an object
  for an array): None. Kept, it would be read wrongly without any error: a
  string in a list field iterates letter by letter, "false" in a boolean
  field is true;
- the JSON type the spec gives it, in a form the model cannot parse (a
  date-time string that is not RFC 3339): the string as the API sent it. It
  is what the API meant, and it stays what the field holds in JSON.
A body that is not a JSON object at all, or a nested object the model cannot
read, still raises UnexpectedResponseError: there is no field to set.

Works from the model's generated Shape alone (users_api_client.sdk.builders):
`stand_ins` gives the model's from_dict a value it accepts in place of the bad
one, `attributes` the attribute to set afterwards.

The warning names the model, the field and what was wrong, never the value:
values may be secrets or personal data.
"""

from __future__ import annotations

import datetime
import os
import sys
import threading
import warnings
from types import FrameType
from typing import Any

import users_api_client

from ._exceptions import UsersSDKWarning
from ._version import __version__

__all__ = ["describe", "is_instant", "json_kind", "mistyped", "repair"]

_JSON_KINDS = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
               list: "an array", dict: "an object", type(None): "null"}  # fmt: skip

# Frames in these packages are the SDK's: the warning points at the caller's line.
_OWN = (
    os.path.dirname(os.path.abspath(__file__)) + os.sep,
    os.path.dirname(os.path.abspath(users_api_client.__file__)) + os.sep,
)

_warned: set[tuple[str, str]] = set()  # (model, field): each said once per process
_lock = threading.Lock()


def mistyped(value: Any, expected: tuple[type, ...]) -> bool:
    """Whether `value` has none of the JSON types `expected` (a JSON true or
    false is no integer or number, though Python's bool is an int)."""
    return not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected)


def is_instant(value: str) -> bool:
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def describe(expected: tuple[type, ...]) -> str:
    """The JSON types `expected`, in words: "a string or null"."""
    return " or ".join(dict.fromkeys(json_kind(t) for t in expected))


def json_kind(tp: type) -> str:
    return _JSON_KINDS.get(tp, tp.__name__)


def repair(shape: Any, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the model's from_dict is given for `data` (stand-ins where a field
    is missing or mistyped), and the values to set afterwards by attribute.
    Warns once per model and field; `data` itself is not changed."""
    given = data
    after: dict[str, Any] = {}
    for field, expected in shape.json_types.items():
        if field not in data:
            if field not in shape.stand_ins:
                continue  # optional: absent is allowed
            what, kept, value = "the required field is missing", "set it to None", None
        elif mistyped(value := data[field], expected):
            what = f"expected {describe(expected)}, got {json_kind(type(value))}"
            kept, value = "set it to None", None
        elif field in shape.instants and isinstance(value, str) and not is_instant(value):
            what = "expected an RFC 3339 date-time, got a string that is not one"
            kept = "kept the string as the API sent it"
        else:
            continue
        if given is data:
            given = dict(data)
        # A required field gets a value from_dict accepts; an optional one is
        # left out (from_dict gives UNSET). Either way it is set below.
        if field in shape.stand_ins:
            given[field] = shape.stand_ins[field]
        else:
            del given[field]
        after[shape.attributes[field]] = value
        _warn_once(shape.model.__name__, field, shape.attributes[field], what, kept)
    return given, after


def _warn_once(model: str, field: str, attribute: str, what: str, kept: str) -> None:
    with _lock:
        if (model, field) in _warned:
            return
        _warned.add((model, field))
    named = field if attribute == field else f"{field} (attribute {attribute})"
    warnings.warn(
        f"The API sent a response that breaks the spec users-sdk {__version__} was "
        f"generated from: {model}.{named}: {what}. strict_responses=False {kept}. "
        "The API and this SDK disagree: regenerate the SDK from the API's current spec "
        "or upgrade users-sdk, or report it to the API's owner. (Said once per model "
        "and field in a process.)",
        UsersSDKWarning,
        stacklevel=_caller_level(),
    )


def _caller_level() -> int:
    """The stacklevel of the first frame outside the SDK, counted from
    `_warn_once` (whose own frame is level 1)."""
    frame: FrameType | None = sys._getframe(2)  # the caller of _warn_once: repair
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_OWN):
        frame = frame.f_back
        level += 1
    return level
