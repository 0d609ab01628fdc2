"""Every facade operation against the reference server, sync and async."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from users_sdk import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidArgumentError,
    Invitation,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    User,
    ValidationError,
)

from .conftest import VIEWER_TOKEN, ServerControl

pytestmark = [pytest.mark.vcr, pytest.mark.block_network, pytest.mark.anyio]


async def test_create_with_keywords_and_from_a_dict(users: Any, server: ServerControl) -> None:
    ada = await users.create(
        email="ada@example.com", display_name="Ada Lovelace", role="admin", groups=["eng"]
    )
    bob = await users.create({"email": "Bob@Example.com", "first_name": "Bob"})
    assert isinstance(ada, User)
    assert (ada.email, ada.display_name, ada.role, ada.status, ada.groups) == (
        "ada@example.com", "Ada Lovelace", "admin", "invited", ["eng"],
    )  # fmt: skip
    assert (bob.role, bob.version, bob.first_name) == ("member", 1, "Bob")
    assert bob.id != ada.id


async def test_get_and_me(users: Any, server: ServerControl) -> None:
    created = await users.create(email="ada@example.com", phone="+44 20 7946 0000")
    fetched = await users.get(created.id)
    assert fetched.to_dict() == created.to_dict()
    me = await users.me()
    assert (me.email, me.role) == ("owner@example.com", "owner")


async def test_update_merges_and_none_clears(users: Any, server: ServerControl) -> None:
    user = await users.create(email="ada@example.com", phone="+1 555", department="Ops")
    updated = await users.update(user.id, phone=None, department="R&D")
    assert (updated.phone, updated.department, updated.email) == (None, "R&D", "ada@example.com")
    assert updated.version == user.version + 1


async def test_update_with_if_match_and_the_412(users: Any, server: ServerControl) -> None:
    user = await users.create(email="ada@example.com")
    promoted = await users.update(user.id, role="admin", if_match=user.version)
    assert (promoted.role, promoted.version) == ("admin", 2)
    with pytest.raises(PreconditionFailedError) as caught:
        await users.update(user.id, role="viewer", if_match=user.version)
    assert caught.value.status_code == 412
    assert caught.value.request_id
    assert (await users.get(user.id)).role == "admin"  # nothing was overwritten


async def test_delete_then_get_is_404(users: Any, server: ServerControl) -> None:
    user = await users.create(email="ada@example.com")
    assert await users.delete(user.id) is None
    with pytest.raises(NotFoundError) as caught:
        await users.get(user.id)
    assert user.id in str(caught.value)


async def test_invite_202_and_409(users: Any, server: ServerControl) -> None:
    invited = await users.create(email="ada@example.com")
    invitation = await users.invite(invited.id)
    assert isinstance(invitation, Invitation)
    assert invitation.user_id == invited.id
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
    active = await users.create(email="bob@example.com", status="active")
    with pytest.raises(ConflictError):
        await users.invite(active.id)


async def test_password_reset_round_trip(users: Any, server: ServerControl) -> None:
    await users.create(email="ada@example.com", status="active")
    assert await users.reset_password("ada@example.com") is None
    assert await users.reset_password("nobody@example.com") is None  # no probing
    (message,) = server.outbox(kind="password_reset", email="ada@example.com")
    token = message["token"]
    assert await users.set_password(token, "a long new passphrase") is None
    with pytest.raises(BadRequestError):
        await users.set_password(token, "another long passphrase")  # single use
    await users.reset_password("ada@example.com")
    fresh = server.outbox(kind="password_reset", email="ada@example.com")[-1]["token"]
    # The spec's minLength (12): refused before sending, the token left unused.
    with pytest.raises(InvalidArgumentError, match="password must be at least 12 characters"):
        await users.set_password(fresh, "short")
    assert await users.set_password(fresh, "a second long passphrase") is None


async def test_error_401_403_404_409_422(
    users: Any, make_users: Any, server: ServerControl
) -> None:
    with pytest.raises(AuthenticationError):
        await make_users(token="not-a-valid-token").me()
    with pytest.raises(PermissionDeniedError):
        await make_users(token=VIEWER_TOKEN).create(email="eve@example.com")
    with pytest.raises(NotFoundError):
        await users.get("usr_9999")
    await users.create(email="ada@example.com")
    with pytest.raises(ConflictError, match=r"(?i)ada@example\.com"):
        await users.create(email="ADA@example.com")
    with pytest.raises(ValidationError) as caught:
        # A domain with no dot: only the API refuses it (the SDK checks the shape).
        await users.create(email="ada@localhost", username="no spaces allowed")
    assert sorted(e.field for e in caught.value.errors) == ["email", "username"]


async def test_viewer_can_read_with_an_api_key(make_users: Any, server: ServerControl) -> None:
    viewer = make_users(api_key="viewer-key")
    me = await viewer.me()
    assert me.role == "viewer"


async def test_429_with_retry_after_then_success(
    users: Any, server: ServerControl, sleeps: list[float]
) -> None:
    server.queue_fault(429, retry_after="1")
    me = await users.me()
    assert me.role == "owner"
    assert sleeps == [1.0]


async def test_503_then_success(users: Any, server: ServerControl, sleeps: list[float]) -> None:
    server.queue_fault(503, count=2)
    user = await users.create(email="ada@example.com")
    assert user.email == "ada@example.com"
    assert len(sleeps) == 2
    page = await users.list(email_domain="example.com", q="ada")
    assert [u.id for u in page.items] == [user.id]  # the retried create made one user


async def test_bad_cursor_is_400(users: Any, server: ServerControl) -> None:
    with pytest.raises(BadRequestError):
        await users.list(cursor="not-a-real-cursor")
