"""Users: the rules of the API on top of the database.

Each operation runs in one transaction, so its checks (uniqueness, If-Match,
the last owner) and its write cannot interleave with another request: no lost
updates, no two users with one email. Errors are raised as `ApiError`s
directly; this is a reference server, not a layered application.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .clock import Clock, format_instant, to_micros
from .cursors import Position
from .db import Database
from .entropy import Entropy
from .listing import Filters, SortKey, SqlValue, key_columns, keyset, order_by
from .models import UserCreate
from .outbox import Message, Outbox
from .problems import ApiError

INVITATION_LIFETIME = timedelta(days=7)
_JSON_COLUMNS = ("groups", "permissions", "metadata")


@dataclass(frozen=True)
class User:
    id: str
    email: str
    display_name: str
    first_name: str | None
    last_name: str | None
    username: str | None
    role: str
    status: str
    phone: str | None
    department: str | None
    groups: list[str]
    permissions: list[str]
    metadata: dict[str, str]
    account_id: str | None
    is_service_user: bool
    last_login_at: int | None
    created_at: int
    updated_at: int
    version: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(
            **{
                name: json.loads(row[name]) if name in _JSON_COLUMNS else row[name]
                for name in cls.__dataclass_fields__
            }
            | {"is_service_user": bool(row["is_service_user"])}
        )

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def to_json(self) -> dict[str, Any]:
        """The `User` schema, fields in the contract's order."""
        return {
            "id": self.id,
            "email": self.email,
            "display_name": self.display_name,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "role": self.role,
            "status": self.status,
            "phone": self.phone,
            "department": self.department,
            "groups": self.groups,
            "permissions": self.permissions,
            "metadata": self.metadata,
            "account_id": self.account_id,
            "is_service_user": self.is_service_user,
            "last_login_at": (
                format_instant(self.last_login_at) if self.last_login_at is not None else None
            ),
            "created_at": format_instant(self.created_at),
            "updated_at": format_instant(self.updated_at),
            "version": self.version,
        }


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


# Columns a PATCH may set, and how a value is stored.
_UPDATABLE = (
    "email",
    "display_name",
    "first_name",
    "last_name",
    "username",
    "role",
    "status",
    "phone",
    "department",
    "groups",
    "permissions",
    "metadata",
    "account_id",
    "is_service_user",
)


def _column_values(fields: dict[str, Any]) -> dict[str, Any]:
    """API fields -> stored columns, including the derived lookup keys."""
    columns: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _JSON_COLUMNS:
            columns[name] = json.dumps(value, ensure_ascii=False)
        elif name == "is_service_user":
            columns[name] = int(value)
        else:
            columns[name] = value
        if name == "email":
            columns["email_key"] = value.lower()
            columns["email_domain"] = value.rsplit("@", 1)[1].lower()
        if name == "username":
            columns["username_key"] = value.lower() if value is not None else None
    return columns


class UserStore:
    def __init__(self, db: Database, clock: Clock, entropy: Entropy, outbox: Outbox) -> None:
        self._db = db
        self._clock = clock
        self._entropy = entropy
        self._outbox = outbox

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
                    [User.from_row(row) for row in rows],
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

    def create(self, data: UserCreate) -> tuple[User, Invitation | None]:
        fields = data.model_dump(exclude={"send_invite"})
        if fields["display_name"] is None:
            fields["display_name"] = derive_display_name(
                data.email, data.first_name, data.last_name
            )
        with self._db.transaction() as conn:
            self._check_unique(conn, data.email, data.username, exclude=None)
            now = to_micros(self._clock.tick())
            user = self._insert(conn, fields, now)
            # One write, one instant: the invitation leaves as the user is created.
            invitation = self._invite(conn, user, now) if data.send_invite else None
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
                if name in _UPDATABLE and before[name] != value
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
            columns = _column_values(changed)
            columns["updated_at"] = to_micros(self._clock.tick())
            assignments = ", ".join(f"{name} = ?" for name in columns)
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

    def seed(self, data: UserCreate, last_login: bool) -> User:
        """Create a seeded user unless its email exists (a file database keeps them)."""
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM users WHERE email_key = ?", (data.email.lower(),)
            ).fetchone()
            if row is not None:
                return User.from_row(row)
            user = self._insert(conn, data.model_dump(), to_micros(self._clock.tick()))
            if last_login:
                conn.execute("UPDATE users SET last_login_at = created_at WHERE id = ?", (user.id,))
            seeded = self._get(conn, user.id)
            assert seeded is not None
            return seeded

    # -- helpers -------------------------------------------------------------

    def _get(self, conn: sqlite3.Connection, user_id: str) -> User | None:
        row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return User.from_row(row) if row else None

    def _insert(self, conn: sqlite3.Connection, fields: dict[str, Any], now: int) -> User:
        """Insert a user from a complete set of fields (a dumped UserCreate)."""
        user_id = self._entropy.user_id(self._db.next_sequence(conn, "users"))
        columns = _column_values({name: fields[name] for name in _UPDATABLE})
        columns |= {"id": user_id, "created_at": now, "updated_at": now, "version": 1}
        names = ", ".join(columns)
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
