"""The password-reset flow: a single-use, expiring token, delivered to the outbox."""

from __future__ import annotations

from datetime import timedelta

from ..errors import ApiError
from ..store.database import Database
from ..support.clock import Clock, format_instant, to_micros
from ..support.entropy import Entropy
from ..support.hashing import hash_password, token_digest
from ..support.outbox import Message, Outbox

RESET_TOKEN_LIFETIME = timedelta(hours=1)


class PasswordResets:
    def __init__(self, db: Database, clock: Clock, entropy: Entropy, outbox: Outbox) -> None:
        self._db = db
        self._clock = clock
        self._entropy = entropy
        self._outbox = outbox

    def request(self, email: str) -> None:
        """Issue a token if someone has this email; say nothing either way (no enumeration)."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT id, email FROM users WHERE email_key = ?", (email.lower(),)
            ).fetchone()
            if row is None:
                return
            now = self._clock.tick()
            token = self._entropy.token()
            conn.execute(
                "INSERT INTO reset_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
                (token_digest(token), row["id"], to_micros(now + RESET_TOKEN_LIFETIME)),
            )
        self._outbox.send(
            Message(
                "password_reset", row["email"], row["id"], token, format_instant(to_micros(now))
            )
        )

    def set_password(self, token: str, password: str) -> None:
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT user_id, expires_at, used_at FROM reset_tokens WHERE token_hash = ?",
                (token_digest(token),),
            ).fetchone()
            # One answer for unknown, used and expired tokens: a token is valid or it is not.
            if (
                row is None
                or row["used_at"] is not None
                or row["expires_at"] <= to_micros(self._clock.now())
            ):
                raise ApiError(400, "The reset token is not valid: it is unknown, used or expired.")
            # scrypt is slow on purpose (tens of ms); only pay for it once the token is good.
            password_hash = hash_password(password, self._entropy.salt())
            now = to_micros(self._clock.tick())
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, row["user_id"])
            )
            # Every outstanding token of this user is used up, not only this one.
            conn.execute(
                "UPDATE reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
                (now, row["user_id"]),
            )
