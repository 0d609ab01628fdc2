"""Opaque, signed pagination cursors.

A cursor is `base64url(payload).base64url(hmac)`, where the payload names a
position (the sort key of a row), a direction, and the fingerprint of the
filters and sort it was issued for. The HMAC makes tampering a 400 instead of
an arbitrary SQL comparison; the fingerprint makes a cursor reused with other
filters a 400 instead of a silently wrong page.

The contract caps a cursor: the `maxLength` of listUsers' `cursor`. A sort
key can be longer than that (a long display name, each character escaped as
`\\u0001` in JSON), so a payload that would not fit is kept in the database
and the cursor carries only its signed row id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Literal

from ..errors import ApiError
from ..store.database import Database
from ..store.listing import SqlValue

Direction = Literal["next", "prev"]
_SIGNATURE_BYTES = 16
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
# A JSON payload starts with "{": a stored one is referred to as "@<row id>".
_REFERENCE = b"@"


@dataclass(frozen=True)
class Position:
    direction: Direction
    values: tuple[SqlValue, ...]
    # True when the row at `values` belongs to the page too (see UserStore.list_page).
    inclusive: bool = False


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not _BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, key: bytes, db: Database, max_length: int | None) -> None:
        self._key = key
        self._db = db
        # The spec's cap: a cursor the server issues must be one it accepts back.
        self._max_length = max_length

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]

    def encode(self, position: Position, fingerprint: str) -> str:
        payload = json.dumps(
            {
                "d": position.direction[0],
                "i": int(position.inclusive),
                "k": list(position.values),
                "f": fingerprint,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")
        cursor = self._seal(payload)
        if self._max_length is not None and len(cursor) > self._max_length:
            cursor = self._seal(_REFERENCE + str(self._db.store_cursor(payload)).encode("ascii"))
        return cursor

    def _seal(self, payload: bytes) -> str:
        return f"{_b64encode(payload)}.{_b64encode(self._sign(payload))}"

    def decode(self, cursor: str, fingerprint: str, key_count: int) -> Position:
        malformed = ApiError(400, "The cursor is malformed or was tampered with.")
        try:
            encoded_payload, encoded_signature = cursor.split(".")
            payload = _b64decode(encoded_payload)
            signature = _b64decode(encoded_signature)
        except (ValueError, binascii.Error):
            raise malformed from None
        if not hmac.compare_digest(signature, self._sign(payload)):
            raise malformed
        if payload.startswith(_REFERENCE):
            stored = self._db.load_cursor(int(payload[1:]))
            if stored is None:  # the database was reset since
                raise malformed
            payload = stored
        data = json.loads(payload)
        if data.get("f") != fingerprint:
            raise ApiError(
                400,
                "The cursor was issued for other filters or another sort order;"
                " start again without a cursor.",
            )
        values = data.get("k")
        # Signed by us, so this holds unless the key leaked; cheap to check anyway.
        if (
            data.get("d") not in ("n", "p")
            or not isinstance(values, list)
            or len(values) != key_count
            or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values)
        ):
            raise malformed
        direction: Direction = "next" if data["d"] == "n" else "prev"
        return Position(direction, tuple(values), bool(data.get("i")))
