"""Idempotency-Key: a retried mutation gets the stored response, not a second effect.

Keys belong to a credential (two clients may pick the same key). Only
successful responses are stored: a failed attempt changed nothing, so running
it again is already safe, and the client may fix the cause and retry with the
same key. A key replayed with another method, path or body is refused.

The HTTP edge reads the key (within the spec's bounds) and the body, and
calls `run` only when a key was sent (http/routes.py).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable

# The stored result is the response itself: a replay must be the same bytes.
from starlette.responses import Response

from ..errors import ApiError
from ..store.database import Database

# The response headers that are part of the result (X-Request-ID is per call).
_STORED_HEADERS = ("content-type", "location", "etag")
REPLAYED_HEADER = "Idempotent-Replayed"


def _fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        # Key order and whitespace do not make another request.
        canonical = json.dumps(json.loads(body), sort_keys=True).encode("utf-8")
    except (ValueError, RecursionError):
        canonical = body
    digest = hashlib.sha256(canonical).hexdigest()
    return f"{method} {path} {digest}"


class Idempotency:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Held from lookup to store, so two concurrent requests with one key run one at a time.
        self._lock = threading.Lock()

    def run(
        self,
        scope: str,
        key: str,
        *,
        method: str,
        path: str,
        body: bytes,
        action: Callable[[bytes], Response],
    ) -> Response:
        """Run `action(body)` once per (scope, key); replay its success after that.

        A key reused for another request (method, path or body) gets 409.
        """
        fingerprint = _fingerprint(method, path, body)
        with self._lock:
            with self._db.transaction() as conn:
                stored = conn.execute(
                    "SELECT fingerprint, status, headers, body FROM idempotency"
                    " WHERE scope = ? AND key = ?",
                    (scope, key),
                ).fetchone()
            if stored is not None:
                if stored["fingerprint"] != fingerprint:
                    raise ApiError(
                        409,
                        "This Idempotency-Key was already used for another request"
                        " (method, path or body differ); use a new key for a new request.",
                    )
                headers = dict(json.loads(stored["headers"])) | {REPLAYED_HEADER: "true"}
                return Response(bytes(stored["body"]), stored["status"], headers=headers)
            response = action(body)
            if 200 <= response.status_code < 300:
                headers = {
                    name: response.headers[name]
                    for name in _STORED_HEADERS
                    if name in response.headers
                }
                with self._db.transaction() as conn:
                    conn.execute(
                        "INSERT INTO idempotency (scope, key, fingerprint, status, headers, body)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            scope,
                            key,
                            fingerprint,
                            response.status_code,
                            json.dumps(headers),
                            bytes(response.body),
                        ),
                    )
            return response
