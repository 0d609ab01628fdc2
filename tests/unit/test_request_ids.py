"""Request ids on success: `page.request_id`, and `users_sdk.last_request_id()`
per thread and asyncio task.

The first tests talk to the reference server (the users_api_server fixture of
the project's pytest plugin), whose every answer carries its own X-Request-ID;
an event hook on the HTTP client notes the id each thread or task was answered
with. The edge cases after them use MockTransport.
"""

from __future__ import annotations

import asyncio
import contextvars
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

import users_sdk
from users_sdk import (
    APIConnectionError,
    AsyncUsersClient,
    DefaultAsyncHttpx2Client,
    DefaultHttpx2Client,
    NotFoundError,
    UsersClient,
)

from .conftest import Recorder, json_response, problem, user_json

pytestmark = pytest.mark.users_api_server(fresh="module")

WORKERS = 4


def _id(response: httpx2.Response) -> str:
    request_id: str = response.headers["x-request-id"]
    return request_id


@pytest.fixture
def client(users_api_server: Any) -> Iterator[UsersClient]:
    with UsersClient(base_url=users_api_server.base_url, token=users_api_server.token) as client:
        yield client


def test_a_page_carries_the_request_id_of_its_response(client: UsersClient) -> None:
    first = client.users.list(limit=1)
    assert first.request_id == _id(first.http_response)
    assert first.request_id == users_sdk.last_request_id()
    second = first.next_page()
    assert second.request_id == _id(second.http_response) != first.request_id


@pytest.mark.anyio
async def test_an_async_page_carries_the_request_id_of_its_response(
    users_api_server: Any,
) -> None:
    async with AsyncUsersClient(
        base_url=users_api_server.base_url, token=users_api_server.token
    ) as client:
        page = await client.users.list(limit=1)
        assert page.request_id is not None
        assert page.request_id == _id(page.http_response) == users_sdk.last_request_id()


def test_last_request_id_is_the_header_of_the_last_answer(users_api_server: Any) -> None:
    answered: list[str] = []
    http_client = DefaultHttpx2Client(
        event_hooks={"response": [lambda response: answered.append(_id(response))]}
    )
    with UsersClient(
        base_url=users_api_server.base_url, token=users_api_server.token, http_client=http_client
    ) as client:
        me = client.users.me()
        assert users_sdk.last_request_id() == answered[-1]
        client.users.get(me.id)
        assert users_sdk.last_request_id() == answered[-1] != answered[0]
    http_client.close()


def test_after_an_error_last_request_id_is_the_errors(client: UsersClient) -> None:
    client.users.me()
    with pytest.raises(NotFoundError) as caught:
        client.users.get("usr_missing")
    assert caught.value.request_id is not None
    assert users_sdk.last_request_id() == caught.value.request_id


@pytest.mark.anyio
async def test_concurrent_asyncio_tasks_each_see_their_own(users_api_server: Any) -> None:
    answered: dict[asyncio.Task[Any] | None, str] = {}

    async def note(response: httpx2.Response) -> None:
        answered[asyncio.current_task()] = _id(response)

    http_client = DefaultAsyncHttpx2Client(event_hooks={"response": [note]})
    barrier = asyncio.Barrier(WORKERS)

    async def call(client: AsyncUsersClient) -> tuple[str | None, str]:
        await client.users.me()
        await barrier.wait()  # every task's call has finished before any task looks
        return users_sdk.last_request_id(), answered[asyncio.current_task()]

    async with AsyncUsersClient(
        base_url=users_api_server.base_url, token=users_api_server.token, http_client=http_client
    ) as client:
        await client.users.me()
        mine = answered[asyncio.current_task()]
        seen = await asyncio.gather(*(call(client) for _ in range(WORKERS)))
    await http_client.aclose()
    assert [last for last, _ in seen] == [own for _, own in seen]
    assert len({mine} | {own for _, own in seen}) == WORKERS + 1
    # gather ran each call in a task of its own: the awaiting task keeps its own id.
    assert users_sdk.last_request_id() == mine


def test_threads_each_see_their_own(client: UsersClient, users_api_server: Any) -> None:
    answered: dict[int, str] = {}
    http_client = DefaultHttpx2Client(
        event_hooks={
            "response": [lambda response: answered.update({threading.get_ident(): _id(response)})]
        }
    )
    shared = UsersClient(
        base_url=users_api_server.base_url, token=users_api_server.token, http_client=http_client
    )
    barrier = threading.Barrier(WORKERS, timeout=10)
    seen: list[tuple[str | None, str]] = []

    def call() -> None:
        shared.users.me()
        barrier.wait()  # every thread's call has finished before any thread looks
        seen.append((users_sdk.last_request_id(), answered[threading.get_ident()]))

    threads = [threading.Thread(target=call) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    http_client.close()
    assert len(seen) == WORKERS
    assert [last for last, _ in seen] == [own for _, own in seen]
    assert len({own for _, own in seen}) == WORKERS


# Edge cases, on MockTransport.


def test_none_before_any_call() -> None:
    assert contextvars.Context().run(users_sdk.last_request_id) is None


def test_a_page_without_the_header_has_no_request_id(make_client: Any) -> None:
    page_json = {"items": [user_json()], "limit": 1, "next_cursor": None, "previous_cursor": None}
    answer = json_response(200, page_json)
    del answer.headers["x-request-id"]
    page = make_client(Recorder(answer)).users.list(limit=1)
    assert page.request_id is None
    assert users_sdk.last_request_id() is None  # not the id of an earlier call


def test_after_retries_it_is_the_final_answers(make_client: Any) -> None:
    recorder = Recorder(
        json_response(503, problem(503), **{"x-request-id": "req_first", "retry-after": "0"}),
        json_response(200, user_json(), **{"x-request-id": "req_final"}),
    )
    make_client(recorder).users.me()
    assert users_sdk.last_request_id() == "req_final"


def test_a_raw_response_call_sets_it_too(make_client: Any) -> None:
    recorder = Recorder(json_response(200, user_json(), **{"x-request-id": "req_raw"}))
    response = make_client(recorder).users.with_raw_response.me()
    assert users_sdk.last_request_id() == response.request_id == "req_raw"


def test_a_call_without_an_answer_leaves_it_as_it_was(make_client: Any) -> None:
    recorder = Recorder(
        json_response(200, user_json(), **{"x-request-id": "req_before"}),
        httpx2.ConnectError("refused"),
    )
    client = make_client(recorder, max_retries=0)
    client.users.me()
    with pytest.raises(APIConnectionError):
        client.users.me()
    assert users_sdk.last_request_id() == "req_before"


def test_asking_for_it_loads_no_client() -> None:
    probe = (
        "import sys, users_sdk; users_sdk.last_request_id(); "
        "print(sorted(m for m in ('users_sdk._client', 'httpx2', 'attrs') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
