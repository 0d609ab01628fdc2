"""Exports: every user matching the filters, a page at a time, resumable.

    for page in bulk.export_pages(client, role="admin"):
        save(page.users)
        checkpoint(page.resume_cursor)     # pass as cursor= to go on after this page

Only the current page is in memory. The filters are those of `users.list()`;
`limit` is the page size (here 100, the API's maximum, unless given) and
`cursor` (a `resume_cursor`) resumes after the page it came with. The first
page is fetched at the call, so a bad filter raises there; the async twins
check the filters at the call and fetch when iterated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Unpack

from .._client import AsyncUsersClient, UsersClient
from .._exceptions import InvalidArgumentTypeError
from .._pagination import AsyncPaginator, SyncPage
from .._request_facts import LIST_USERS_QUERY, ListUsersParams
from ._arguments import checked_client
from ._results import ExportPage

if TYPE_CHECKING:
    from users_api_client.models import User

__all__ = ["async_export_pages", "async_export_users", "export_pages", "export_users"]

# The largest page the API serves: the fewest requests for the same memory bound.
_PAGE_SIZE: int = LIST_USERS_QUERY["limit"].maximum or LIST_USERS_QUERY["limit"].default


def _paged(function: str, filters: ListUsersParams) -> ListUsersParams:
    unknown = sorted(set(filters) - set(LIST_USERS_QUERY))
    if unknown:
        # The SDK's error, as for any other bad argument: these are keyword
        # arguments passed on, which Python would refuse with a bare TypeError.
        raise InvalidArgumentTypeError(
            f"{function}() got an unexpected keyword argument {unknown[0]!r}; "
            f"it takes {', '.join(LIST_USERS_QUERY)}"
        )
    if filters.get("limit") is None:
        return {**filters, "limit": _PAGE_SIZE}
    return filters


def export_pages(client: UsersClient, **filters: Unpack[ListUsersParams]) -> Iterator[ExportPage]:
    """Every page of users matching `filters`; `cursor=` resumes after a page.

    Examples:
        ```python
        from users_sdk import bulk

        for page in bulk.export_pages(client, email_domain="example.com", limit=1):
            print(len(page.users), page.resume_cursor)  # save it to resume with cursor=
        ```
    """
    checked_client(client, UsersClient, "export_pages", "async_export_pages")
    return _pages(client.users.list(**_paged("export_pages", filters)))


def _pages(first: SyncPage[User]) -> Iterator[ExportPage]:
    for page in first.iter_pages():
        yield ExportPage(page.items, page.next_cursor)


def export_users(client: UsersClient, **filters: Unpack[ListUsersParams]) -> Iterator[User]:
    """Every user matching `filters`, a page in memory at a time; see export_pages.

    Examples:
        ```python
        from users_sdk import bulk

        print(sum(1 for _ in bulk.export_users(client, role=["owner", "viewer"])))  # 2
        ```
    """
    checked_client(client, UsersClient, "export_users", "async_export_users")
    pages = export_pages(client, **filters)
    return (user for page in pages for user in page.users)


def async_export_pages(
    client: AsyncUsersClient, **filters: Unpack[ListUsersParams]
) -> AsyncIterator[ExportPage]:
    """The async twin of export_pages: `async for page in async_export_pages(...)`.

    Examples:
        ```python
        from users_sdk import bulk

        async for page in bulk.async_export_pages(client, limit=1):
            print(len(page.users), page.resume_cursor)
        ```
    """
    checked_client(client, AsyncUsersClient, "async_export_pages", "export_pages")
    return _async_pages(client.users.list(**_paged("async_export_pages", filters)))


async def _async_pages(first: AsyncPaginator[User]) -> AsyncIterator[ExportPage]:
    async for page in (await first).iter_pages():
        yield ExportPage(page.items, page.next_cursor)


def async_export_users(
    client: AsyncUsersClient, **filters: Unpack[ListUsersParams]
) -> AsyncIterator[User]:
    """The async twin of export_users: `async for user in async_export_users(...)`.

    Examples:
        ```python
        from users_sdk import bulk

        async for user in bulk.async_export_users(client, email_domain="example.com"):
            print(user.email)
        ```
    """
    checked_client(client, AsyncUsersClient, "async_export_users", "export_users")
    return _async_users(async_export_pages(client, **filters))


async def _async_users(pages: AsyncIterator[ExportPage]) -> AsyncIterator[User]:
    async for page in pages:
        for user in page.users:
            yield user
