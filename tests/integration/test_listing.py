"""Listing: every filter and sort, auto-pagination, previous pages, resuming."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import ServerControl

pytestmark = [pytest.mark.vcr, pytest.mark.block_network, pytest.mark.anyio]


async def emails(listing: Any) -> list[str]:
    return [user.email async for user in listing]


async def seed(users: Any) -> dict[str, Any]:
    people = [
        {"email": "ada@alpha.test", "role": "admin", "status": "active", "groups": ["eng"]},
        {"email": "bob@beta.test", "role": "member", "status": "invited", "username": "bobby"},
        {"email": "cy@alpha.test", "role": "viewer", "status": "suspended", "groups": ["ops"]},
        {"email": "di@beta.test", "role": "admin", "status": "active", "account_id": "acc_2"},
    ]
    return {p["email"]: await users.create(**p) for p in people}


async def test_each_filter(users: Any, server: ServerControl) -> None:
    created = await seed(users)
    assert await emails(users.list(role="admin", sort="email:asc")) == [
        "ada@alpha.test", "di@beta.test",
    ]  # fmt: skip
    assert await emails(users.list(role=["admin", "owner"], sort="email:asc")) == [
        "ada@alpha.test", "di@beta.test", "owner@example.com",
    ]  # fmt: skip
    assert await emails(users.list(status=["suspended", "invited"], sort="email:asc")) == [
        "bob@beta.test", "cy@alpha.test",
    ]  # fmt: skip
    assert await emails(users.list(q="BOBBY")) == ["bob@beta.test"]
    assert await emails(users.list(email_domain="alpha.test", sort="email:desc")) == [
        "cy@alpha.test", "ada@alpha.test",
    ]  # fmt: skip
    assert await emails(users.list(group="ops")) == ["cy@alpha.test"]
    assert await emails(users.list(account_id="acc_2")) == ["di@beta.test"]
    middle = created["bob@beta.test"].created_at
    after = await emails(users.list(created_after=middle, sort="created_at:asc"))
    before = await emails(users.list(created_before=middle, sort="created_at:asc"))
    assert after == ["bob@beta.test", "cy@alpha.test", "di@beta.test"]
    assert before[-1] == "ada@alpha.test"
    assert "bob@beta.test" not in before


async def test_multi_field_sort(users: Any, server: ServerControl) -> None:
    for email, name in [("a1", "Zed"), ("a2", "Amy"), ("a0", "Zed"), ("a3", "Amy")]:
        await users.create(email=f"{email}@sort.test", display_name=name)
    by_name_then_email = users.list(email_domain="sort.test", sort="display_name:desc,email:asc")
    assert await emails(by_name_then_email) == [
        "a0@sort.test", "a1@sort.test", "a2@sort.test", "a3@sort.test",
    ]  # fmt: skip
    reversed_order = users.list(email_domain="sort.test", sort="display_name:asc,email:desc")
    assert await emails(reversed_order) == [
        "a3@sort.test", "a2@sort.test", "a1@sort.test", "a0@sort.test",
    ]  # fmt: skip
    by_created = await emails(users.list(sort="created_at:asc", limit=2))
    assert by_created[:2] == ["owner@example.com", "viewer@example.com"]


async def test_auto_pagination_across_many_pages(users: Any, server: ServerControl) -> None:
    for n in range(23):
        await users.create(email=f"user{n:02d}@many.test")
    listed = await emails(users.list(email_domain="many.test", limit=5, sort="email:asc"))
    assert listed == [f"user{n:02d}@many.test" for n in range(23)]
    first = await users.list(email_domain="many.test", limit=5)
    pages = 1
    page = first
    while page.has_next_page():
        page = await page.next_page()
        pages += 1
    assert pages == 5


async def test_previous_page_and_resume_from_a_cursor(users: Any, server: ServerControl) -> None:
    for n in range(7):
        await users.create(email=f"user{n}@pages.test")
    first = await users.list(email_domain="pages.test", limit=3, sort="email:asc")
    assert not first.has_previous_page()
    second = await first.next_page()
    back = await second.previous_page()
    assert [u.email for u in back.items] == [u.email for u in first.items]
    saved = second.next_cursor
    resumed = await emails(users.list(email_domain="pages.test", limit=3, sort="email:asc",
                                      cursor=saved))  # fmt: skip
    assert resumed == ["user6@pages.test"]
