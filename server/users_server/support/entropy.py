"""Every id, token and secret the server makes up comes from here.

Two implementations: random (the normal server) and seeded (`--deterministic`),
where ids count up and tokens come from a seeded RNG so that recording the same
scenario twice gives the same bytes.
"""

from __future__ import annotations

import os
import random
import secrets
import threading
from typing import Protocol

_SEED = 20260101
# Only ever used in deterministic mode, whose cursors need not be secret, only stable.
_DETERMINISTIC_CURSOR_KEY = b"users-server deterministic cursor key"


class Entropy(Protocol):
    def request_id(self) -> str: ...

    def user_id(self, sequence: int) -> str:
        """The id of the `sequence`-th user ever created in this database (1-based)."""
        ...

    def token(self) -> str:
        """A password-reset token."""
        ...

    def bearer_token(self, sequence: int) -> str:
        """The `sequence`-th bearer token test mode issues since start or reset (1-based)."""
        ...

    def salt(self) -> bytes: ...

    def cursor_key(self) -> bytes: ...

    def reset(self) -> None: ...


class RandomEntropy:
    def request_id(self) -> str:
        return "req_" + secrets.token_hex(8)

    def user_id(self, sequence: int) -> str:
        return "usr_" + secrets.token_hex(8)

    def token(self) -> str:
        return "rst_" + secrets.token_urlsafe(32)

    def bearer_token(self, sequence: int) -> str:
        return "tok_" + secrets.token_urlsafe(32)

    def salt(self) -> bytes:
        return os.urandom(16)

    def cursor_key(self) -> bytes:
        return secrets.token_bytes(32)

    def reset(self) -> None:
        pass


class SeededEntropy:
    def __init__(self, seed: int = _SEED) -> None:
        self._seed = seed
        # Requests may be handled on several threads (TestClient, uvicorn's thread pool).
        self._lock = threading.Lock()
        self.reset()

    def request_id(self) -> str:
        with self._lock:
            self._requests += 1
            return f"req_{self._requests:06d}"

    def user_id(self, sequence: int) -> str:
        return f"usr_{sequence:04d}"

    def token(self) -> str:
        with self._lock:
            return f"rst_{self._rng.getrandbits(128):032x}"

    def bearer_token(self, sequence: int) -> str:
        return f"tok_test_{sequence:04d}"

    def salt(self) -> bytes:
        with self._lock:
            return self._rng.randbytes(16)

    def cursor_key(self) -> bytes:
        return _DETERMINISTIC_CURSOR_KEY

    def reset(self) -> None:
        with self._lock:
            self._requests = 0
            self._rng = random.Random(self._seed)
