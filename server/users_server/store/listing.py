"""The SQL behind listUsers: filters, multi-field sort and keyset pagination.

Keyset, not offsets: a page starts strictly after (or before) the sort key of
the row the cursor points at, so rows inserted or deleted elsewhere never
shift a page. Every sort ends with `id`, which makes the key unique.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..errors import ApiError

# Sort field -> SQL expression. Only these fixed strings ever reach the SQL text.
# last_login_at is the one nullable key: NULL ("never") is mapped to the smallest
# integer, so it sorts first ascending and last descending, and the keyset
# comparisons need no NULL special case.
_NEVER = -(2**63)
SORT_EXPRESSIONS: dict[str, str] = {
    "id": "id",
    "email": "email_key",
    "display_name": "display_name",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "last_login_at": f"COALESCE(last_login_at, {_NEVER})",
}

SqlValue = str | int


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool

    @property
    def expression(self) -> str:
        return SORT_EXPRESSIONS[self.field]


def parse_sort(text: str) -> tuple[SortKey, ...]:
    """`email:asc,created_at:desc` -> keys, with `id:asc` appended unless present; 400 if bad.

    The default order is the spec's default of the `sort` parameter, not known here.
    """
    keys: list[SortKey] = []
    for part in text.split(","):
        field, _, direction = part.strip().partition(":")
        field, direction = field.strip(), (direction.strip() or "asc")
        if field not in SORT_EXPRESSIONS:
            raise ApiError(
                400, f"Cannot sort by {field!r}: use one of {', '.join(SORT_EXPRESSIONS)}."
            )
        if direction not in ("asc", "desc"):
            raise ApiError(400, f"Sort direction {direction!r} is not asc or desc.")
        if any(key.field == field for key in keys):
            raise ApiError(400, f"Sort field {field!r} is given twice.")
        keys.append(SortKey(field, direction == "desc"))
    if not any(key.field == "id" for key in keys):
        keys.append(SortKey("id", False))
    return tuple(keys)


@dataclass(frozen=True)
class Filters:
    roles: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    q: str | None = None
    email_domain: str | None = None
    group: str | None = None
    created_after: int | None = None
    created_before: int | None = None
    account_id: str | None = None

    def where(self) -> tuple[str, list[SqlValue]]:
        clauses: list[str] = []
        params: list[SqlValue] = []
        if self.roles:
            clauses.append(f"role IN ({', '.join('?' * len(self.roles))})")
            params += self.roles
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' * len(self.statuses))})")
            params += self.statuses
        if self.q is not None:
            # instr, not LIKE: the needle is literal, `%` and `_` are not wildcards.
            clauses.append(
                "(instr(fold(email), ?) > 0 OR instr(fold(display_name), ?) > 0"
                " OR instr(fold(COALESCE(username, '')), ?) > 0)"
            )
            params += [self.q.casefold()] * 3
        if self.email_domain is not None:
            clauses.append("email_domain = ?")
            params.append(self.email_domain.lower())
        if self.group is not None:
            clauses.append("EXISTS (SELECT 1 FROM json_each(users.groups) WHERE value = ?)")
            params.append(self.group)
        if self.created_after is not None:
            clauses.append("created_at >= ?")
            params.append(self.created_after)
        if self.created_before is not None:
            clauses.append("created_at < ?")
            params.append(self.created_before)
        if self.account_id is not None:
            clauses.append("account_id = ?")
            params.append(self.account_id)
        return " AND ".join(clauses) or "1", params


def fingerprint(filters: Filters, sort: tuple[SortKey, ...]) -> str:
    """What a cursor is bound to: the filters and the sort, not the page size."""
    canonical = {
        "filters": {
            **filters.__dict__,
            "roles": sorted(set(filters.roles)),
            "statuses": sorted(set(filters.statuses)),
            "email_domain": filters.email_domain.lower() if filters.email_domain else None,
        },
        "sort": [[key.field, key.descending] for key in sort],
    }
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]


def keyset(
    sort: tuple[SortKey, ...], values: tuple[SqlValue, ...], *, after: bool, inclusive: bool
) -> tuple[str, list[SqlValue]]:
    """Rows strictly after (or before) `values` in the sort order; `inclusive` adds the row itself.

    (a, b, id) after (x, y, z) is: a > x OR (a = x AND b > y) OR (a = x AND b = y AND id > z),
    with `>` turned into `<` for descending keys, and everything flipped for "before".
    """
    alternatives: list[str] = []
    params: list[SqlValue] = []
    for i, key in enumerate(sort):
        greater = after != key.descending
        terms = [f"{prefix.expression} = ?" for prefix in sort[:i]]
        terms.append(f"{key.expression} {'>' if greater else '<'} ?")
        alternatives.append("(" + " AND ".join(terms) + ")")
        params += [*values[:i], values[i]]
    if inclusive:
        alternatives.append("(" + " AND ".join(f"{key.expression} = ?" for key in sort) + ")")
        params += values
    return "(" + " OR ".join(alternatives) + ")", params


def order_by(sort: tuple[SortKey, ...], *, reverse: bool) -> str:
    return ", ".join(
        f"{key.expression} {'DESC' if key.descending != reverse else 'ASC'}" for key in sort
    )


def key_columns(sort: tuple[SortKey, ...]) -> str:
    """The sort key of each row, selected next to it, so cursors hold exactly what SQL compares."""
    return ", ".join(f"{key.expression} AS _k{i}" for i, key in enumerate(sort))
