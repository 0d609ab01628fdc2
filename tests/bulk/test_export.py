"""bulk.export_pages / export_users and their async twins, against the real server."""

from __future__ import annotations

import pytest

from users_sdk import (
    AsyncUsersClient,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    UsersClient,
    bulk,
)

from .conftest import rows

N = 250


@pytest.fixture
def imported(client: UsersClient) -> list[str]:
    summary = bulk.import_users(client, rows(N), import_id="export")
    assert summary.created == N
    return sorted(row["email"] for row in rows(N))


def test_export_walks_every_page(client: UsersClient, imported: list[str]) -> None:
    pages = list(bulk.export_pages(client, email_domain="bulk.example", limit=40))
    assert [len(page.users) for page in pages] == [40] * 6 + [10]
    assert [page.resume_cursor is None for page in pages] == [False] * 6 + [True]
    assert sorted(user.email for page in pages for user in page.users) == imported


def test_export_pages_are_the_apis_largest_by_default(
    client: UsersClient, imported: list[str]
) -> None:
    pages = list(bulk.export_pages(client, email_domain="bulk.example"))
    assert [len(page.users) for page in pages] == [100, 100, 50]


def test_resuming_from_a_page_gives_exactly_the_rest(
    client: UsersClient, imported: list[str]
) -> None:
    walk = bulk.export_pages(client, email_domain="bulk.example", sort="email:asc", limit=30)
    seen = [user.email for user in next(walk).users]
    seen += [user.email for user in next(walk).users]
    checkpoint = next(walk)
    seen += [user.email for user in checkpoint.users]
    del walk  # the process stops here; a new one resumes from the checkpoint

    rest = bulk.export_users(
        client, email_domain="bulk.example", sort="email:asc", limit=30,
        cursor=checkpoint.resume_cursor,
    )  # fmt: skip
    resumed = seen + [user.email for user in rest]
    assert resumed == sorted(imported)


def test_export_users_filters_on_the_server(client: UsersClient, imported: list[str]) -> None:
    bulk.import_users(client, rows(5, domain="other.example"), import_id="other")
    assert sorted(u.email for u in bulk.export_users(client, email_domain="bulk.example")) == (
        imported
    )
    assert len(list(bulk.export_users(client, email_domain="@other.example"))) == 5


def test_a_bad_filter_raises_at_the_call(client: UsersClient) -> None:
    with pytest.raises(InvalidArgumentError, match="limit must be between 1 and 100"):
        bulk.export_pages(client, limit=0)
    with pytest.raises(InvalidArgumentTypeError, match="unexpected keyword argument 'domain'"):
        bulk.export_users(client, domain="x")  # type: ignore[call-arg]
    with pytest.raises(InvalidArgumentTypeError, match=r"takes a UsersClient, not str: make one"):
        bulk.export_users("client")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_async_export_and_resume(async_client: AsyncUsersClient, imported: list[str]) -> None:
    pages = [
        page
        async for page in bulk.async_export_pages(
            async_client, email_domain="bulk.example", sort="email:asc", limit=100
        )
    ]
    assert [len(page.users) for page in pages] == [100, 100, 50]
    rest = [
        user.email
        async for user in bulk.async_export_users(
            async_client,
            email_domain="bulk.example",
            sort="email:asc",
            cursor=pages[0].resume_cursor,
        )
    ]
    assert [user.email for user in pages[0].users] + rest == sorted(imported)
