"""Users: the rules of the API on top of the database.

Each operation runs in one transaction, so its checks (uniqueness, If-Match,
the last owner) and its write cannot interleave with another request: no lost
updates, no two users with one email. Errors are raised as `ApiError`s
(errors.py); http/problems.py renders them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..errors import ApiError
from ..store.database import Database
from ..store.listing import Filters, SortKey, SqlValue, key_columns, keyset, order_by
from ..store.user_table import UserTable, quote
from ..support.clock import Clock, format_instant, to_micros
from ..support.entropy import Entropy
from ..support.outbox import Message, Outbox
from .cursors import Position

INVITATION_LIFETIME = timedelta(days=7)
# Assigned by the server: no request body writes them, whatever a spec lists.
SERVER_ASSIGNED = frozenset({"id", "created_at", "updated_at", "version", "last_login_at"})
# createUser's defaults that the spec states only in prose ("the role defaults to member").
CREATE_DEFAULTS = {"role": "member", "status": "invited"}


@dataclass(frozen=True)
class User:
    """A user as the API shows it: the `User` schema's JSON, fields in the spec's order.

    The properties are the fields that rules here read.
    """

    fields: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.fields["id"])

    @property
    def email(self) -> str:
        return str(self.fields["email"])

    @property
    def role(self) -> str:
        return str(self.fields["role"])

    @property
    def status(self) -> str:
        return str(self.fields["status"])

    @property
    def account_id(self) -> str | None:
        account_id: str | None = self.fields["account_id"]
        return account_id

    @property
    def version(self) -> int:
        return int(self.fields["version"])

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def to_json(self) -> dict[str, Any]:
        return dict(self.fields)


@dataclass(frozen=True)
class Invitation:
    user_id: str
    sent_at: int
    expires_at: int

    def to_json(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "sent_at": format_instant(self.sent_at),
            "expires_at": format_instant(self.expires_at),
        }


@dataclass(frozen=True)
class Page:
    users: list[User]
    next: Position | None
    previous: Position | None


def etag_matches(if_match: str, version: int) -> bool:
    """If-Match as sent by people and SDKs: `"3"`, `3`, `W/"3"`, `*`, or a list of them."""
    for candidate in if_match.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/")
        if len(tag) >= 2 and tag[0] == tag[-1] == '"':
            tag = tag[1:-1]
        if tag == str(version):
            return True
    return False


def derive_display_name(email: str, first_name: str | None, last_name: str | None) -> str:
    names = " ".join(part.strip() for part in (first_name, last_name) if part and part.strip())
    # At most 200 characters, like a display name sent by a client (two names can be 201).
    return (names or email.split("@", 1)[0])[:200]


class UserStore:
    def __init__(
        self, db: Database, table: UserTable, clock: Clock, entropy: Entropy, outbox: Outbox
    ) -> None:
        self._db = db
        self._table = table
        self._clock = clock
        self._entropy = entropy
        self._outbox = outbox
        # What a body may set: its properties that are User fields (not send_invite).
        self._writable = frozenset(table.names) - SERVER_ASSIGNED

    # -- reads ---------------------------------------------------------------

    def get(self, user_id: str) -> User | None:
        with self._db.transaction() as conn:
            return self._get(conn, user_id)

    def require(self, user_id: str) -> User:
        user = self.get(user_id)
        if user is None:
            raise ApiError(404, f"No user has the id {user_id}.")
        return user

    def list_page(
        self, filters: Filters, sort: tuple[SortKey, ...], limit: int, position: Position | None
    ) -> Page:
        where, params = filters.where()
        forward = position is None or position.direction == "next"
        sql = f"SELECT *, {key_columns(sort)} FROM users WHERE {where}"
        if position is not None:
            condition, extra = keyset(
                sort, position.values, after=forward, inclusive=position.inclusive
            )
            sql += f" AND {condition}"
            params = params + extra
        # Backwards pages are read in reverse order from the cursor, then turned around.
        sql += f" ORDER BY {order_by(sort, reverse=not forward)} LIMIT ?"
        with self._db.transaction() as conn:
            rows = conn.execute(sql, [*params, limit]).fetchall()
            if not forward:
                rows.reverse()
            if rows:
                first = tuple(rows[0][f"_k{i}"] for i in range(len(sort)))
                last = tuple(rows[-1][f"_k{i}"] for i in range(len(sort)))
                before = self._any(conn, filters, sort, first, after=False, inclusive=False)
                after = self._any(conn, filters, sort, last, after=True, inclusive=False)
                return Page(
                    [self._user(row) for row in rows],
                    Position("next", last) if after else None,
                    Position("prev", first) if before else None,
                )
            if position is None:
                return Page([], None, None)
            # Nothing left on this side of the cursor (deleted since): the way back
            # starts at the cursor itself, including its row if this page excluded it.
            inclusive = not position.inclusive
            back = self._any(
                conn, filters, sort, position.values, after=not forward, inclusive=inclusive
            )
            turn = (
                Position("prev" if forward else "next", position.values, inclusive)
                if back
                else None
            )
            return Page([], None if forward else turn, turn if forward else None)

    def _any(
        self,
        conn: sqlite3.Connection,
        filters: Filters,
        sort: tuple[SortKey, ...],
        values: tuple[SqlValue, ...],
        *,
        after: bool,
        inclusive: bool,
    ) -> bool:
        where, params = filters.where()
        condition, extra = keyset(sort, values, after=after, inclusive=inclusive)
        sql = f"SELECT 1 FROM users WHERE {where} AND {condition} LIMIT 1"
        return conn.execute(sql, params + extra).fetchone() is not None

    # -- writes --------------------------------------------------------------

    def create(self, body: dict[str, Any]) -> tuple[User, Invitation | None]:
        """Create a user from a validated UserCreate body (defaults applied)."""
        fields = dict(body)
        if fields["display_name"] is None:
            fields["display_name"] = derive_display_name(
                fields["email"], fields.get("first_name"), fields.get("last_name")
            )
        with self._db.transaction() as conn:
            self._check_unique(conn, fields["email"], fields.get("username"), exclude=None)
            now = to_micros(self._clock.tick())
            user = self._insert(conn, fields, now)
            # One write, one instant: the invitation leaves as the user is created.
            invitation = self._invite(conn, user, now) if fields["send_invite"] else None
        if invitation:
            self._send_invitation(user, invitation)
        return user, invitation

    def update(self, user_id: str, changes: dict[str, Any], if_match: str | None) -> User:
        with self._db.transaction() as conn:
            current = self._get(conn, user_id)
            if current is None:
                raise ApiError(404, f"No user has the id {user_id}.")
            if if_match is not None and not etag_matches(if_match, current.version):
                raise ApiError(
                    412,
                    f"The user is at version {current.version}, not {if_match}."
                    " Read it again and reapply your change.",
                    headers={"ETag": current.etag},
                )
            before = current.to_json()
            changed = {
                name: value
                for name, value in changes.items()
                if name in self._writable and before.get(name) != value
            }
            if not changed:
                # Nothing differs: not a change, so no new version.
                return current
            if "email" in changed or "username" in changed:
                self._check_unique(
                    conn,
                    changed.get("email"),
                    changed.get("username"),
                    exclude=user_id,
                )
            leaves_owners = changed.get("role", "owner") != "owner" or ("account_id" in changed)
            if current.role == "owner" and leaves_owners and self._is_last_owner(conn, current):
                raise ApiError(
                    409,
                    f"{current.id} is the last owner of its account: promote someone else first.",
                )
            columns = self._columns(changed)
            columns["updated_at"] = to_micros(self._clock.tick())
            assignments = ", ".join(f"{quote(name)} = ?" for name in columns)
            conn.execute(
                f"UPDATE users SET {assignments}, version = version + 1 WHERE id = ?",
                [*columns.values(), user_id],
            )
            updated = self._get(conn, user_id)
            assert updated is not None
            return updated

    def delete(self, user_id: str) -> None:
        with self._db.transaction() as conn:
            user = self._get(conn, user_id)
            if user is None:
                raise ApiError(404, f"No user has the id {user_id}.")
            if self._is_last_owner(conn, user):
                raise ApiError(
                    409,
                    f"{user.id} is the last owner of its account: promote someone else first.",
                )
            self._clock.tick()
            conn.execute("DELETE FROM users WHERE id = ?", (user_id,))

    def invite(self, user_id: str) -> Invitation:
        with self._db.transaction() as conn:
            user = self._get(conn, user_id)
            if user is None:
                raise ApiError(404, f"No user has the id {user_id}.")
            if user.status != "invited":
                raise ApiError(
                    409,
                    f"{user.id} is {user.status}; only invited users get an invitation.",
                )
            invitation = self._invite(conn, user, to_micros(self._clock.tick()))
        self._send_invitation(user, invitation)
        return invitation

    def seed(self, body: dict[str, Any], last_login: bool) -> User:
        """Create a seeded user unless its email exists (a file database keeps them)."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM users WHERE email_key = ?", (body["email"].lower(),)
            ).fetchone()
            if row is not None:
                return self._user(row)
            user = self._insert(conn, body, to_micros(self._clock.tick()))
            if last_login:
                conn.execute("UPDATE users SET last_login_at = created_at WHERE id = ?", (user.id,))
            seeded = self._get(conn, user.id)
            assert seeded is not None
            return seeded

    # -- helpers -------------------------------------------------------------

    def _get(self, conn: sqlite3.Connection, user_id: str) -> User | None:
        row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return self._user(row) if row else None

    def _user(self, row: sqlite3.Row) -> User:
        return User(self._table.decode(row))

    def _columns(self, fields: dict[str, Any]) -> dict[str, Any]:
        """API fields -> stored columns, including the derived lookup keys."""
        columns = self._table.encode(fields)
        if "email" in fields:
            columns["email_key"] = fields["email"].lower()
            columns["email_domain"] = fields["email"].rsplit("@", 1)[1].lower()
        if "username" in fields:
            username = fields["username"]
            columns["username_key"] = username.lower() if username is not None else None
        return columns

    def _insert(self, conn: sqlite3.Connection, fields: dict[str, Any], now: int) -> User:
        """Insert a user from a complete set of fields (a dumped UserCreate)."""
        user_id = self._entropy.user_id(self._db.next_sequence(conn, "users"))
        columns = self._columns({k: v for k, v in fields.items() if k in self._writable})
        columns |= {"id": user_id, "created_at": now, "updated_at": now, "version": 1}
        names = ", ".join(quote(name) for name in columns)
        marks = ", ".join("?" * len(columns))
        conn.execute(f"INSERT INTO users ({names}) VALUES ({marks})", list(columns.values()))
        user = self._get(conn, user_id)
        assert user is not None
        return user

    def _check_unique(
        self,
        conn: sqlite3.Connection,
        email: str | None,
        username: str | None,
        exclude: str | None,
    ) -> None:
        if email is not None:
            row = conn.execute(
                "SELECT id FROM users WHERE email_key = ? AND id IS NOT ?",
                (email.lower(), exclude),
            ).fetchone()
            if row:
                raise ApiError(409, f"A user with the email {email} already exists.")
        if username is not None:
            row = conn.execute(
                "SELECT id FROM users WHERE username_key = ? AND id IS NOT ?",
                (username.lower(), exclude),
            ).fetchone()
            if row:
                raise ApiError(409, f"A user with the username {username} already exists.")

    def _is_last_owner(self, conn: sqlite3.Connection, user: User) -> bool:
        """An account must keep an owner (users without an account count as one account)."""
        if user.role != "owner":
            return False
        others = conn.execute(
            "SELECT COUNT(*) FROM users WHERE role = 'owner' AND account_id IS ? AND id != ?",
            (user.account_id, user.id),
        ).fetchone()[0]
        return bool(others == 0)

    def _invite(self, conn: sqlite3.Connection, user: User, now: int) -> Invitation:
        lifetime = INVITATION_LIFETIME // timedelta(microseconds=1)
        invitation = Invitation(user.id, now, now + lifetime)
        conn.execute(
            "INSERT INTO invitations (user_id, sent_at, expires_at) VALUES (?, ?, ?)",
            (invitation.user_id, invitation.sent_at, invitation.expires_at),
        )
        return invitation

    def _send_invitation(self, user: User, invitation: Invitation) -> None:
        # After the commit: a message must not leave for a write that was rolled back.
        self._outbox.send(
            Message("invitation", user.email, user.id, None, format_instant(invitation.sent_at))
        )
