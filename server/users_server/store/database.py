"""The SQLite database: connection, schema, transactions.

One connection for the whole server, guarded by a lock: SQLite serialises
writers anyway, and a single connection is the only way `:memory:` can be
shared. Every statement elsewhere binds its values as parameters; the only
SQL text built at run time is from fixed, whitelisted fragments and from the
users table's column names, which user_table.py takes from the spec and checks.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .user_table import UserTable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reset_tokens (
    token_hash TEXT PRIMARY KEY,         -- sha256 of the token: the token itself is never stored
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE TABLE IF NOT EXISTS invitations (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,                 -- the credential the key belongs to
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,           -- method, path and body of the first request
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS cursors (
    id INTEGER PRIMARY KEY,              -- cursor payloads too long to hand out (rules/cursors.py)
    payload BLOB NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
_TABLES = ("idempotency", "invitations", "reset_tokens", "users", "cursors", "meta")


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else None


class Database:
    def __init__(self, path: str, users: UserTable) -> None:
        # The connection is shared by whatever thread serves the request
        # (uvicorn's loop, a TestClient portal); the lock serialises them.
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        # SQLite's lower() folds ASCII only; the `q` filter needs real case folding.
        self._conn.create_function("fold", 1, _casefold, deterministic=True)
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._lock = threading.RLock()
        with self._lock:
            try:
                # The users table first: the other tables refer to it.
                users.install(self._conn)
                # executescript commits on its own; every statement is IF NOT EXISTS.
                self._conn.executescript(_SCHEMA)
            except BaseException:
                self._conn.close()  # a server that cannot start keeps no file open
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit: checks and writes inside it cannot interleave with another request's."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def next_sequence(self, conn: sqlite3.Connection, name: str) -> int:
        """A counter that survives restarts of a file database (deterministic user ids)."""
        row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        value = int(row["value"]) + 1 if row else 1
        conn.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, str(value)),
        )
        return value

    def meta_value(self, conn: sqlite3.Connection, name: str, default: str) -> str:
        """Read a meta value, storing `default` the first time."""
        row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        if row:
            return str(row["value"])
        conn.execute("INSERT INTO meta (name, value) VALUES (?, ?)", (name, default))
        return default

    def store_cursor(self, payload: bytes) -> int:
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO cursors (payload) VALUES (?)", (payload,))
            row = conn.execute("SELECT id FROM cursors WHERE payload = ?", (payload,)).fetchone()
            return int(row["id"])

    def load_cursor(self, cursor_id: int) -> bytes | None:
        with self.transaction() as conn:
            row = conn.execute("SELECT payload FROM cursors WHERE id = ?", (cursor_id,)).fetchone()
            return bytes(row["payload"]) if row else None

    def wipe(self) -> None:
        with self.transaction() as conn:
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")  # fixed names, never input

    def close(self) -> None:
        with self._lock:
            self._conn.close()
