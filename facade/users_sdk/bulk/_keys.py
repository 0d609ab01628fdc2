"""The Idempotency-Key of each row: the same import and the same row give the same key.

    >>> idempotency_key_for("hires-2026-12", {"email": "ada@example.com", "role": "admin"})
    'bulk-...'

The key is a SHA-256 of the import id and the row's content (keys sorted, so
their order does not matter), so a rerun of an import sends every row with the
key it had before, and the server replays what already succeeded instead of
creating it again. Two identical rows of one import share a key: the second
is a replay of the first, never a second user.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from .._input import values as check

__all__ = ["checked_import_id", "idempotency_key_for", "invite_key_for"]

_ROW_PREFIX = "bulk-"
_INVITE_PREFIX = "bulk-invite-"


def checked_import_id(import_id: object) -> str:
    if not isinstance(import_id, str):
        raise InvalidArgumentTypeError(
            f"import_id must be a str that names this import, such as 'hires-2026-12', not "
            f"{type(import_id).__name__}; run the import again with the same id to resume it"
        )
    if not import_id.strip():
        raise InvalidArgumentError(
            "import_id must not be empty: name the import (such as 'hires-2026-12') and reuse "
            "the name to resume it"
        )
    return import_id


def _json_value(value: object) -> str:
    # The values the create call itself turns into JSON strings.
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"a {type(value).__name__} is not a JSON value")


def idempotency_key_for(import_id: str, row: Mapping[str, Any]) -> str:
    """The Idempotency-Key that `import_users` sends for `row` in the import `import_id`.

    Stable across processes and Python versions: 69 printable ASCII characters.

    Examples:
        ```python
        from users_sdk import bulk

        key = bulk.idempotency_key_for("hires-2026-12", {"email": "ada@example.com"})
        print(key)  # bulk-<the SHA-256 of the import id and the row>
        ```
    """
    import_id = checked_import_id(import_id)
    if not isinstance(row, Mapping):
        raise InvalidArgumentTypeError(
            f"a row must be a mapping of UserCreate fields such as {{'email': 'ada@example.com'}}, "
            f"not {type(row).__name__}"
        )
    try:
        canonical = json.dumps(
            [import_id, row], sort_keys=True, separators=(",", ":"), allow_nan=False,
            default=_json_value,
        )  # fmt: skip
    except (TypeError, ValueError, RecursionError) as error:
        raise InvalidArgumentTypeError(
            f"row {check.brief(row)} cannot be sent as JSON ({error}); its values must be str, "
            "int, finite float, bool, None, lists or dicts with str keys"
        ) from None
    return _ROW_PREFIX + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def invite_key_for(row_key: str) -> str:
    """The Idempotency-Key of a row's invitation: a rerun replays it, never inviting twice."""
    return _INVITE_PREFIX + row_key.removeprefix(_ROW_PREFIX)
