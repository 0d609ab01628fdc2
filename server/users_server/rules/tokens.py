"""The credentials a server accepts right now: the configured ones, and the
bearer tokens that test mode issues, rotates and revokes (`/_test/tokens`).

Without test mode this is simply the four configured credentials. In test
mode a token can be issued for a seeded user, and any bearer token (a
configured one included) can be revoked or rotated, so that SDK credential
providers meet real expiry: a revoked token gets the same 401 as one that
never existed. `reset` goes back to the configured credentials only.

Issued tokens count in deterministic mode (`tok_test_0001`, ...; back to 1 on
reset), so recordings stay byte-identical; otherwise they are random.
"""

from __future__ import annotations

import threading

from ..support.entropy import Entropy
from .auth import Credential, Seed


class CredentialStore:
    def __init__(self, configured: list[Credential], entropy: Entropy) -> None:
        self._configured = tuple(configured)
        self._entropy = entropy
        # Each request reads the whole tuple once: a rotation swaps it in one
        # assignment, so a request sees either the old token or the new one.
        self._lock = threading.Lock()
        self._current = self._configured
        self._issued = 0

    def current(self) -> tuple[Credential, ...]:
        """Every credential accepted at this moment."""
        return self._current

    def issue(self, seed: Seed) -> str:
        """A new bearer token for `seed`'s user."""
        with self._lock:
            credential = self._new_token(seed)
            self._current = (*self._current, credential)
            return credential.secret

    def revoke(self, token: str) -> bool:
        """Refuse the bearer token `token` from now on; False if it is not accepted now."""
        with self._lock:
            old = self._bearer(token)
            if old is None:
                return False
            self._current = tuple(c for c in self._current if c is not old)
            return True

    def rotate(self, token: str) -> str | None:
        """A new bearer token for the user of `token`, which is revoked in the same step;
        None if `token` is not accepted now."""
        with self._lock:
            old = self._bearer(token)
            if old is None:
                return None
            new = self._new_token(old.seed)
            self._current = (*(c for c in self._current if c is not old), new)
            return new.secret

    def reset(self) -> None:
        with self._lock:
            self._current = self._configured
            self._issued = 0

    def _bearer(self, token: str) -> Credential | None:
        return next((c for c in self._current if c.kind == "bearer" and c.secret == token), None)

    def _new_token(self, seed: Seed) -> Credential:
        # Never one in use (nor a revoked configured token, which reset brings back).
        taken = {c.secret for c in (*self._configured, *self._current)}
        while True:
            self._issued += 1
            secret = self._entropy.bearer_token(self._issued)
            if secret not in taken:
                return Credential("bearer", secret, seed)
