"""Cursor pages, sync and async, and the iteration over every item.

    page = client.users.list(limit=50)          # one request, errors raise here
    page.items, page.next_cursor, page.has_next_page()
    for user in client.users.list(role="admin"):   # every match, pages fetched lazily
        ...

A page holds the request it answers; for a neighbour it asks its client to
send the same request at the neighbour's cursor (same filters, sort and size).
Iterating keeps only the current page in memory, and follows `next_cursor`
until it is null: an empty page that still has a cursor does not end the walk.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2

from ._exceptions import NoMorePagesError, UnexpectedResponseError

if TYPE_CHECKING:
    from ._client import AsyncUsersClient, UsersClient
    from ._prepare import PreparedRequest

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

_T = TypeVar("_T")


class _Page(Generic[_T]):
    __slots__ = (
        "_client", "_request", "cursor", "http_response", "items", "next_cursor", "previous_cursor",
    )  # fmt: skip

    def __init__(
        self,
        items: list[_T],
        *,
        cursor: str | None,
        next_cursor: str | None,
        previous_cursor: str | None,
        http_response: httpx2.Response,
        client: Any,
        request: PreparedRequest,
    ) -> None:
        self.items: list[_T] = items
        self.cursor: str | None = cursor
        """The cursor this page was fetched with (None for the first page)."""
        self.next_cursor: str | None = next_cursor
        self.previous_cursor: str | None = previous_cursor
        self.http_response: httpx2.Response = http_response
        self._client = client
        self._request = request

    @property
    def request_id(self) -> str | None:
        """The x-request-id of the response this page came from (None if it had none)."""
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    def has_next_page(self) -> bool:
        """Whether a page follows this one (`next_cursor` is not None).

        Examples:
            ```python
            page = client.users.list(limit=1)
            print(page.has_next_page())  # True: there are two users
            ```
        """
        return self.next_cursor is not None

    def has_previous_page(self) -> bool:
        """Whether a page precedes this one (`previous_cursor` is not None).

        Examples:
            ```python
            second = client.users.list(limit=1).next_page()
            print(second.has_previous_page())  # True
            ```
        """
        return self.previous_cursor is not None

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} items={len(self.items)} "
            f"next_cursor={self.next_cursor!r} previous_cursor={self.previous_cursor!r}>"
        )

    def _cursor_towards(self, cursor: str | None, direction: str) -> str:
        if cursor is None:
            raise NoMorePagesError(
                f"there is no {direction} page; check has_{direction}_page() first"
            )
        if cursor == self.cursor:
            # A server that hands back the cursor it was given would loop forever.
            raise UnexpectedResponseError(
                f"the {direction} cursor is the cursor of this page", response=self.http_response
            )
        return cursor


def _check_not_seen(page: _Page[Any], seen: set[str | None]) -> None:
    """A server whose cursors go round in a cycle (a -> b -> a) would make the
    walk endless: a cursor met twice in one walk ends it with an error."""
    if page.cursor in seen:
        raise UnexpectedResponseError(
            f"the cursor {page.cursor!r} came back: the pages go round in a cycle",
            response=page.http_response,
        )
    seen.add(page.cursor)


class SyncPage(_Page[_T]):
    """One page of results; iterate it to walk every following page too.

    Examples:
        ```python
        page = client.users.list(limit=1)
        print(len(page.items), page.next_cursor is not None)
        for user in page:  # this page's users, then every following page's
            print(user.email)
        ```
    """

    _client: UsersClient

    def next_page(self) -> SyncPage[_T]:
        """Fetch the page after this one (NoMorePagesError on the last page).

        Examples:
            ```python
            second = client.users.list(limit=1).next_page()
            ```
        """
        return self._neighbour(self._cursor_towards(self.next_cursor, "next"))

    def previous_page(self) -> SyncPage[_T]:
        """Fetch the page before this one (NoMorePagesError on the first page).

        Examples:
            ```python
            first_again = client.users.list(limit=1).next_page().previous_page()
            ```
        """
        return self._neighbour(self._cursor_towards(self.previous_cursor, "previous"))

    def _neighbour(self, cursor: str) -> SyncPage[_T]:
        page: SyncPage[_T] = self._client._fetch_page(self._request.at_cursor(cursor))
        return page

    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        """This page, then every following page, fetched one at a time.

        Examples:
            ```python
            for page in client.users.list(limit=1).iter_pages():
                print(len(page.items), page.request_id)
            ```
        """
        page = self
        seen = {page.cursor}
        yield page
        while page.has_next_page():
            page = page.next_page()
            _check_not_seen(page, seen)
            yield page

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_Page[_T]):
    """One page of results from the async client; `async for` walks every page.

    Examples:
        ```python
        page = await client.users.list(limit=1)
        async for user in page:  # this page's users, then every following page's
            print(user.email)
        ```
    """

    _client: AsyncUsersClient

    async def next_page(self) -> AsyncPage[_T]:
        """Fetch the page after this one (NoMorePagesError on the last page).

        Examples:
            ```python
            second = await (await client.users.list(limit=1)).next_page()
            ```
        """
        return await self._neighbour(self._cursor_towards(self.next_cursor, "next"))

    async def previous_page(self) -> AsyncPage[_T]:
        """Fetch the page before this one (NoMorePagesError on the first page).

        Examples:
            ```python
            second = await (await client.users.list(limit=1)).next_page()
            first_again = await second.previous_page()
            ```
        """
        return await self._neighbour(self._cursor_towards(self.previous_cursor, "previous"))

    async def _neighbour(self, cursor: str) -> AsyncPage[_T]:
        page: AsyncPage[_T] = await self._client._fetch_page(self._request.at_cursor(cursor))
        return page

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        """This page, then every following page, fetched one at a time.

        Examples:
            ```python
            async for page in (await client.users.list(limit=1)).iter_pages():
                print(len(page.items), page.request_id)
            ```
        """
        page = self
        seen = {page.cursor}
        yield page
        while page.has_next_page():
            page = await page.next_page()
            _check_not_seen(page, seen)
            yield page

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[_T]):
    """What an async list returns: await it for the first page, or `async for`
    over it for every item. The arguments were checked when it was made.

    Examples:
        ```python
        first_page = await client.users.list(limit=50)
        async for user in client.users.list(role="owner"):
            print(user.email)
        ```
    """

    __slots__ = ("_client", "_request")

    def __init__(self, client: AsyncUsersClient, request: PreparedRequest) -> None:
        self._client = client
        self._request = request

    def __await__(self) -> Generator[Any, None, AsyncPage[_T]]:
        return self._client._fetch_page(self._request).__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page: AsyncPage[_T] = await self._client._fetch_page(self._request)
        async for item in page:
            yield item
