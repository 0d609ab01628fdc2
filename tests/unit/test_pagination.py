"""Cursor pages: lazy iteration, filters kept, edge cases."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from users_sdk import AsyncPage, NoMorePagesError, SyncPage, UnexpectedResponseError

from .conftest import json_response, user_json


@pytest.fixture(params=["httpx2", "httpx"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Every test here also runs on a caller's legacy httpx client (conftest.py)."""
    return str(request.param)


class PagedAPI:
    """A MockTransport handler serving `pages` (lists of ids) by cursor 'c<n>'."""

    def __init__(self, *pages: list[str]) -> None:
        self.pages = pages
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        cursor = request.url.params.get("cursor")
        index = int(cursor[1:]) if cursor else 0
        last = len(self.pages) - 1
        return json_response(
            200,
            {
                "items": [user_json(id=i, email=f"{i}@example.com") for i in self.pages[index]],
                "limit": 2,
                "next_cursor": f"c{index + 1}" if index < last else None,
                "previous_cursor": f"c{index - 1}" if index > 0 else None,
            },
        )


def test_iterating_walks_every_page_lazily_with_the_same_filters(make_client: Any) -> None:
    api = PagedAPI(["u1", "u2"], ["u3", "u4"], ["u5"])
    page = make_client(api).users.list(limit=2, role=["admin", "owner"], sort="email:asc")
    assert isinstance(page, SyncPage)
    assert len(api.requests) == 1  # the first page is fetched by list() itself
    iterator = iter(page)
    assert [next(iterator), next(iterator)][1].id == "u2"
    assert len(api.requests) == 1
    assert [u.id for u in iterator] == ["u3", "u4", "u5"]
    assert len(api.requests) == 3
    for request in api.requests:
        assert request.url.params.get_list("role") == ["admin", "owner"]
        assert request.url.params["sort"] == "email:asc"
        assert request.url.params["limit"] == "2"
    assert [r.url.params.get("cursor") for r in api.requests] == [None, "c1", "c2"]


def test_an_empty_page_with_a_cursor_does_not_end_iteration(make_client: Any) -> None:
    api = PagedAPI(["u1"], [], [], ["u2"])
    assert [u.id for u in make_client(api).users.list()] == ["u1", "u2"]


def test_page_navigation(make_client: Any) -> None:
    api = PagedAPI(["u1", "u2"], ["u3", "u4"], ["u5"])
    first = make_client(api).users.list(limit=2)
    assert first.has_next_page()
    assert not first.has_previous_page()
    with pytest.raises(NoMorePagesError, match="has_previous_page"):
        first.previous_page()
    second = first.next_page()
    assert [u.id for u in second.items] == ["u3", "u4"]
    assert second.cursor == "c1"
    assert [u.id for u in second.previous_page().items] == ["u1", "u2"]
    last = second.next_page()
    assert not last.has_next_page()
    with pytest.raises(NoMorePagesError):
        last.next_page()
    assert [len(p.items) for p in first.iter_pages()] == [2, 2, 1]


def test_resume_from_a_saved_cursor(make_client: Any) -> None:
    api = PagedAPI(["u1", "u2"], ["u3", "u4"], ["u5"])
    client = make_client(api)
    saved = client.users.list(limit=2).next_cursor
    resumed = client.users.list(limit=2, cursor=saved)
    assert [u.id for u in resumed] == ["u3", "u4", "u5"]


def test_a_server_that_returns_the_same_cursor_cannot_loop_forever(make_client: Any) -> None:
    def same_cursor(request: httpx2.Request) -> httpx2.Response:
        body = {"items": [], "limit": 2, "next_cursor": "c1", "previous_cursor": None}
        return json_response(200, body)

    with pytest.raises(UnexpectedResponseError, match="cursor of this page"):
        list(make_client(same_cursor).users.list())


def test_cursors_that_go_round_in_a_cycle_end_the_walk(make_client: Any) -> None:
    def cycle(request: httpx2.Request) -> httpx2.Response:
        cursor = request.url.params.get("cursor")
        following = {None: "a", "a": "b", "b": "a"}[cursor]
        return json_response(
            200, {"items": [], "limit": 2, "next_cursor": following, "previous_cursor": None}
        )

    walked: list[str] = []

    def walk() -> None:
        for page in make_client(cycle).users.list().iter_pages():
            walked.append(str(page.cursor))

    with pytest.raises(UnexpectedResponseError, match="cycle"):
        walk()
    assert walked == ["None", "a", "b"]


def test_pages_are_not_accumulated(make_client: Any) -> None:
    import gc
    import weakref

    api = PagedAPI(*[[f"u{n}"] for n in range(5)])
    seen: list[weakref.ref[Any]] = []
    first = make_client(api).users.list()
    for page in first.iter_pages():
        seen.append(weakref.ref(page))
        del page
    gc.collect()
    alive = [ref() is not None for ref in seen]
    assert alive == [True, False, False, False, False]  # only the first, held by `first`


@pytest.mark.anyio
async def test_async_list_can_be_awaited_or_iterated(make_async_client: Any) -> None:
    api = PagedAPI(["u1", "u2"], [], ["u3"])
    client = make_async_client(api)
    page = await client.users.list(limit=2, status="active")
    assert isinstance(page, AsyncPage)
    assert [u.id for u in page.items] == ["u1", "u2"]
    assert [u.id async for u in client.users.list(limit=2, status="active")] == ["u1", "u2", "u3"]
    second = await page.next_page()
    assert second.items == []
    assert second.has_next_page()
    assert [p.cursor async for p in page.iter_pages()] == [None, "c1", "c2"]
    assert all(r.url.params.get_list("status") == ["active"] for r in api.requests)
