"""The keyword arguments of create and update, typed for IDE completion.

    client.users.create(email="ada@example.com", role="admin")
    client.users.update(user_id, phone=None)      # None clears a nullable field

Each method also takes the same fields as a plain dict (or a generated model),
and passes keys it does not know through to the API, so that fields added to
the API later can be sent before this SDK is updated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, TypeAlias, TypedDict

__all__ = ["UserCreateParams", "UserRole", "UserStatus", "UserUpdateParams"]

UserRole: TypeAlias = Literal["owner", "admin", "member", "viewer"]
UserStatus: TypeAlias = Literal["invited", "active", "suspended", "deactivated"]


class UserUpdateParams(TypedDict, total=False):
    email: str
    display_name: str
    first_name: str | None
    last_name: str | None
    username: str | None
    role: UserRole
    status: UserStatus
    phone: str | None
    department: str | None
    groups: Sequence[str]
    permissions: Sequence[str]
    metadata: Mapping[str, str]
    account_id: str | None
    is_service_user: bool


class UserCreateParams(UserUpdateParams, total=False):
    """The fields of an update, plus send_invite; `email` is required at run time."""

    send_invite: bool
