"""Drift: what the API sent that this SDK's spec does not have, said once.

When the API is ahead of the SDK (a new field, a new enum value), responses
still parse and keep what was added. Nobody would know, though: this module
logs each such field or enum value once per process, at INFO on the
`users_sdk` logger, and keeps the list for the testing plugin's report.

Only names are ever logged: a field's name, never its value (values may be
secrets or personal data). An enum value is named only because it is the
value of an enum field, a word of the API's vocabulary.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from ._logging import logger
from ._version import __version__

__all__ = ["Drift", "note_field", "note_value", "seen"]

# Past this many, a server sending a new key per response cannot grow the
# list (and the log) without bound; the first ones say all there is to say.
_MAX_NOTES = 1000


class Drift(NamedTuple):
    """One thing the API sent that the spec does not have."""

    model: str
    field: str
    value: str | None = None  # None: the field is unknown; else an unknown enum value

    def describe(self) -> str:
        if self.value is None:
            return f"field {self.field!r} of {self.model}"
        return f"value {self.value!r} of {self.model}.{self.field}"


_seen: dict[Drift, None] = {}  # insertion-ordered: the report lists them as they came
_lock = threading.Lock()


def note_field(model: str, field: str) -> None:
    """The API sent `field`, which the spec's `model` does not have."""
    _note(Drift(model, field), "it is kept in additional_properties")


def note_value(model: str, field: str, value: str) -> None:
    """The API sent `value` in the enum field `field`, which the spec does not list."""
    _note(Drift(model, field, value), "it is kept as a plain string")


def seen() -> list[Drift]:
    """Everything noted in this process so far, in the order it came."""
    return list(_seen)


def _note(drift: Drift, kept: str) -> None:
    with _lock:
        if drift in _seen or len(_seen) >= _MAX_NOTES:
            return
        _seen[drift] = None
    logger.info(
        "The API sent the %s, which users-sdk %s does not know (%s). The API is ahead of "
        "this SDK: regenerate it from the API's current spec, or upgrade users-sdk.",
        drift.describe(),
        __version__,
        kept,
    )
