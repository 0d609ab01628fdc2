"""The `users` table, declared by the `User` schema: one column per field, and rows to wire JSON.

Each field of `User` is a column of the same name: text and integers as
such, booleans as 0/1, arrays and maps as JSON text, instants as integer
microseconds since the epoch (exact, and they sort as numbers). A column is
NOT NULL when the spec requires the field and does not let it be null. The
server's own columns (lookup keys, the password hash) come after them.

Column names are the only SQL text taken from the spec, so they are checked
to be plain lower-case identifiers (and quoted) before any SQL is built.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..spec import STRING_KINDS, Kind, Property, SpecError
from ..support.clock import format_instant

TABLE = "users"
PRIMARY_KEY = "id"
# Not in the spec: what the server keeps next to a user's fields.
_SERVER_COLUMNS = {
    "email_key": "TEXT NOT NULL UNIQUE",  # lower-cased: emails are unique case-insensitively
    "email_domain": "TEXT NOT NULL",  # lower-cased, for the email_domain filter
    "username_key": "TEXT UNIQUE",  # lower-cased; NULLs do not collide
    "password_hash": "TEXT",
}
_SQL_TYPES: dict[Kind, str] = {
    **dict.fromkeys(STRING_KINDS, "TEXT"),
    "integer": "INTEGER",
    "flag": "INTEGER",
    "list": "TEXT",
    "map": "TEXT",
    "instant": "INTEGER",
}
_JSON_KINDS = ("list", "map")
# Lower case only: SQLite folds identifiers, so `Name` and `name` would be one column.
# (Also keeps clear of the `_k0` sort-key aliases of listing.py.)
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,62}")


def quote(name: str) -> str:
    """A column name for SQL text; quoted, so a field called `order` is a column too."""
    if not _IDENTIFIER.fullmatch(name):
        raise SpecError(f"User.{name}: a field name must be a plain identifier ([a-z][a-z0-9_]*)")
    return f'"{name}"'


class UserTable:
    def __init__(self, fields: tuple[Property, ...]) -> None:
        for field in fields:
            quote(field.name)
            if field.name in _SERVER_COLUMNS:
                raise SpecError(f"User.{field.name}: the server keeps a column of that name")
        if PRIMARY_KEY not in {field.name for field in fields}:
            raise SpecError(f"User has no {PRIMARY_KEY} field")
        self.fields = fields
        self._kinds = {field.name: field.kind for field in fields}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def install(self, conn: sqlite3.Connection) -> None:
        """Create the table, or add the columns of fields the spec gained since a file was made."""
        definitions = [f"{quote(f.name)} {self._column_type(f)}" for f in self.fields]
        definitions += [f"{name} {sql}" for name, sql in _SERVER_COLUMNS.items()]
        conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(definitions)})")
        existing = {row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")}
        for field in self.fields:
            if field.name in existing:
                continue
            if self._not_null(field):
                raise SpecError(
                    f"the database predates the required field User.{field.name};"
                    " start from a new database"
                )
            conn.execute(
                f"ALTER TABLE {TABLE} ADD COLUMN {quote(field.name)} {self._column_type(field)}"
            )

    def encode(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """API values of User fields -> column values (KeyError for a name that is no field)."""
        columns: dict[str, Any] = {}
        for name, value in values.items():
            kind = self._kinds[name]
            if value is None:
                columns[name] = None
            elif kind in _JSON_KINDS:
                columns[name] = json.dumps(value, ensure_ascii=False)
            elif kind == "flag":
                columns[name] = int(value)
            else:
                columns[name] = value
        return columns

    def decode(self, row: sqlite3.Row) -> dict[str, Any]:
        """A row as the `User` schema's JSON, fields in the spec's order.

        A field with no value is null when the spec requires it, and left out
        when it is optional: so a field the spec gains is absent from every
        user that never had it, and what was recorded before stays the same.
        """
        user: dict[str, Any] = {}
        for field in self.fields:
            value = row[field.name]
            if value is None:
                if field.required:
                    user[field.name] = None
            elif field.kind in _JSON_KINDS:
                user[field.name] = json.loads(value)
            elif field.kind == "flag":
                user[field.name] = bool(value)
            elif field.kind == "instant":
                user[field.name] = format_instant(value)
            else:
                user[field.name] = value
        return user

    @staticmethod
    def _not_null(field: Property) -> bool:
        return field.required and not field.nullable

    def _column_type(self, field: Property) -> str:
        sql = _SQL_TYPES[field.kind]
        if field.name == PRIMARY_KEY:
            return f"{sql} PRIMARY KEY"
        return f"{sql} NOT NULL" if self._not_null(field) else sql
