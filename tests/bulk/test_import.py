"""bulk.import_users and bulk.async_import_users against the real reference server."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from users_sdk import (
    AsyncUsersClient,
    AuthenticationError,
    ConflictError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    RateLimitError,
    UsersClient,
    ValidationError,
    bulk,
)

from .conftest import OWNER_TOKEN, ServerControl, emails, rows

N = 200


class Crash(Exception):
    """The process dying half way, as far as the import can tell."""


def crashing(count: int, crash_after: int) -> Iterator[dict[str, str]]:
    for number, row in enumerate(rows(count)):
        if number == crash_after:
            raise Crash
        yield row


def test_imports_every_row_once(client: UsersClient) -> None:
    results: list[bulk.RowResult] = []
    summary = bulk.import_users(client, rows(N), import_id="hires", on_result=results.append)

    assert (summary.total, summary.created, summary.replayed, summary.failed) == (N, N, 0, 0)
    assert summary.ok
    assert summary.failures == []
    assert sorted(result.index for result in results) == list(range(N))
    assert all(r.status == "created" and r.user is not None for r in results)
    assert all(r.user is not None and r.user.email == r.row["email"] for r in results)
    assert sorted(emails(client)) == sorted(row["email"] for row in rows(N))


def test_a_rerun_replays_every_row_and_creates_no_duplicate(client: UsersClient) -> None:
    first = bulk.import_users(client, rows(N), import_id="hires")
    again: list[bulk.RowResult] = []
    second = bulk.import_users(client, rows(N), import_id="hires", on_result=again.append)

    assert (first.created, second.created, second.replayed, second.failed) == (N, 0, N, 0)
    listed_ids = {u.id for u in client.users.list(email_domain="bulk.example", limit=100)}
    assert {r.user.id for r in again if r.user} == listed_ids  # the users of the first run
    listed = emails(client)
    assert len(listed) == N == len(set(listed))


def test_another_import_id_sends_other_keys(client: UsersClient) -> None:
    bulk.import_users(client, rows(3), import_id="one")
    summary = bulk.import_users(client, rows(3), import_id="two")
    # New keys: the server creates again, and the taken emails are conflicts.
    assert summary.failed == 3
    assert all(isinstance(r.error, ConflictError) for r in summary.failures)
    assert len(emails(client)) == 3


def test_a_crash_half_way_then_a_rerun_gives_every_user_exactly_once(client: UsersClient) -> None:
    with pytest.raises(Crash):
        bulk.import_users(client, crashing(N, N // 2), import_id="crash")
    time.sleep(0.2)  # the rows in flight at the crash finish in the background
    assert len(emails(client)) <= N // 2

    summary = bulk.import_users(client, rows(N), import_id="crash")

    assert summary.failed == 0
    assert summary.created + summary.replayed == N
    # What the first run sent before it died is replayed; the rest is created.
    assert N // 2 - bulk.DEFAULT_CONCURRENCY <= summary.replayed <= N // 2
    listed = emails(client)
    assert len(listed) == N == len(set(listed))


def test_ctrl_c_stops_at_once_and_a_rerun_completes(client: UsersClient) -> None:
    def interrupt(progress: bulk.ImportProgress) -> None:
        assert threading.current_thread() is threading.main_thread()
        if progress.done == N // 2:
            raise KeyboardInterrupt

    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        bulk.import_users(client, rows(N), import_id="ctrl-c", on_progress=interrupt)
    interrupted = time.perf_counter() - started

    summary = bulk.import_users(client, rows(N), import_id="ctrl-c")
    assert summary.replayed >= N // 2
    assert summary.created + summary.replayed == N
    listed = emails(client)
    assert len(listed) == N == len(set(listed))
    assert interrupted < 5  # no wait for the worker threads


def test_rows_are_read_lazily(client: UsersClient) -> None:
    pulled = 0

    def counted() -> Iterator[dict[str, str]]:
        nonlocal pulled
        for row in rows(100):
            pulled += 1
            yield row

    ahead: list[int] = []
    bulk.import_users(
        client, counted(), import_id="lazy", concurrency=4,
        on_progress=lambda progress: ahead.append(pulled - progress.done),
    )  # fmt: skip
    assert pulled == 100
    assert max(ahead) <= 4  # never more rows read than in flight


def test_a_429_storm_shrinks_the_limit_and_the_import_completes(
    client: UsersClient, server: ServerControl
) -> None:
    # A storm of 60: more than any one row's patience used to be (10 attempts), had
    # the rows in flight not shared it.
    server.queue_fault(429, count=60, retry_after="0")
    progress: list[bulk.ImportProgress] = []

    summary = bulk.import_users(client, rows(N), import_id="storm", on_progress=progress.append)

    assert (summary.created, summary.failed) == (N, 0)
    assert summary.throttled == progress[-1].throttled == 60
    lowest = min(p.concurrency for p in progress)
    assert lowest < bulk.DEFAULT_CONCURRENCY  # it backed off
    after = progress[[p.concurrency for p in progress].index(lowest) :]
    assert max(p.concurrency for p in after) > lowest  # and grew back
    assert len(set(emails(client))) == N


def test_retry_after_is_waited_for(client: UsersClient, server: ServerControl) -> None:
    server.queue_fault(503, count=1, retry_after="1")
    started = time.perf_counter()
    summary = bulk.import_users(client, rows(1), import_id="patient")
    assert time.perf_counter() - started >= 0.9
    assert (summary.created, summary.throttled) == (1, 1)


def test_a_server_that_never_stops_throttling_ends_in_failed_rows(
    client: UsersClient, server: ServerControl
) -> None:
    server.queue_fault(429, count=1000, retry_after="0")
    summary = bulk.import_users(client, rows(5), import_id="never", max_attempts=3)
    assert (summary.failed, summary.created) == (5, 0)
    assert all(isinstance(r.error, RateLimitError) for r in summary.failures)
    assert summary.throttled == 15


def test_bad_rows_fail_with_the_sdk_error_and_good_rows_are_imported(
    client: UsersClient,
) -> None:
    bad: list[Any] = [
        {"email": "not-an-email"},
        {"email": "boss@bulk.example", "role": "boss"},
        {"emial": "typo@bulk.example"},
        {"email": "bob@bulk.example", "is_service_user": "yes"},
        "carol@bulk.example",
    ]
    mixed = [*rows(10), *bad, *rows(10, start=10)]

    summary = bulk.import_users(client, mixed, import_id="mixed")

    assert (summary.total, summary.created, summary.failed) == (25, 20, 5)
    failures = {r.index: r for r in summary.failures}
    assert sorted(failures) == [10, 11, 12, 13, 14]
    assert isinstance(failures[10].error, InvalidArgumentError)  # refused before sending
    assert "email must be an email address" in str(failures[10].error)
    assert isinstance(failures[11].error, ValidationError)
    assert "role" in str(failures[11].error)
    assert "Fix the fields" in str(failures[11].error)
    assert isinstance(failures[12].error, InvalidArgumentError)
    assert "unknown field 'emial'" in str(failures[12].error)
    assert isinstance(failures[13].error, InvalidArgumentTypeError)
    assert "is_service_user" in str(failures[13].error)
    assert isinstance(failures[14].error, InvalidArgumentTypeError)
    assert "mapping" in str(failures[14].error)
    assert failures[11].row == bad[1]  # the rejects file gets the row as given
    assert len(emails(client)) == 20


def test_invite_sends_one_invitation_per_user_even_over_a_rerun(
    client: UsersClient, server: ServerControl
) -> None:
    hires = [{**row, "status": "invited"} for row in rows(20)]
    first = bulk.import_users(client, hires, import_id="invite", invite=True)
    second = bulk.import_users(client, hires, import_id="invite", invite=True)

    assert (first.created, first.failed, second.replayed, second.failed) == (20, 0, 20, 0)
    sent = collections.Counter(message["email"] for message in server.invitations())
    assert sent == {row["email"]: 1 for row in hires}


def test_a_failed_invitation_fails_the_row_and_keeps_the_user(client: UsersClient) -> None:
    results: list[bulk.RowResult] = []
    summary = bulk.import_users(
        client, [{"email": "active@bulk.example", "status": "active"}], import_id="x",
        invite=True, on_result=results.append,
    )  # fmt: skip
    assert summary.failed == 1
    (result,) = results
    assert result.status == "failed"
    assert isinstance(result.error, ConflictError)
    assert result.user is not None
    assert result.user.email == "active@bulk.example"
    assert result.invitation is None


def test_no_secret_in_any_result_or_message(client: UsersClient, server: ServerControl) -> None:
    server.queue_fault(429, count=1000, retry_after="0")
    summary = bulk.import_users(client, [*rows(2), {"email": "x"}], import_id="s", max_attempts=2)
    server.clear_faults()
    summary2 = bulk.import_users(client, [{"email": "x"}], import_id="s2")
    texts = [repr(summary), repr(summary2)]
    for failure in [*summary.failures, *summary2.failures]:
        texts += [repr(failure), str(failure.error), repr(failure.error)]
    assert len(texts) == 2 + 3 * 4
    assert not [text for text in texts if OWNER_TOKEN in text]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"concurrency": 0}, InvalidArgumentError, "concurrency must be from 1 to 100, not 0"),
        ({"concurrency": 101}, InvalidArgumentError, "concurrency must be from 1 to 100"),
        ({"concurrency": "8"}, InvalidArgumentTypeError, "concurrency must be an int"),
        ({"concurrency": True}, InvalidArgumentTypeError, "concurrency must be an int"),
        ({"import_id": ""}, InvalidArgumentError, "import_id must not be empty"),
        ({"import_id": 7}, InvalidArgumentTypeError, "import_id must be a str"),
        ({"invite": "yes"}, InvalidArgumentTypeError, "invite must be True or False"),
        ({"on_progress": "print"}, InvalidArgumentTypeError, "on_progress must be a function"),
        ({"max_attempts": 0}, InvalidArgumentError, "max_attempts must be from 1"),
        ({"total": -1}, InvalidArgumentError, "total must be at least 0"),
    ],
)
def test_bad_arguments_raise_before_any_row_is_read(
    client: UsersClient, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    read: list[int] = []

    def watched() -> Iterator[dict[str, str]]:
        read.append(1)
        yield from rows(1)

    with pytest.raises(error, match=message):
        bulk.import_users(client, watched(), **{"import_id": "a", **options})
    assert read == []


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"email": "a@b.example"}, "not one mapping; wrap a single row in a list"),
        ("a@b.example", "rows must be an iterable of mappings"),
        (42, "rows must be an iterable of mappings"),
    ],
)
def test_rows_that_are_not_an_iterable_of_mappings(
    client: UsersClient, given: Any, message: str
) -> None:
    with pytest.raises(InvalidArgumentTypeError, match=message):
        bulk.import_users(client, given, import_id="a")


def test_the_wrong_client_is_named(bulk_server: str) -> None:
    async_client = AsyncUsersClient(base_url=bulk_server, token=OWNER_TOKEN)
    with pytest.raises(InvalidArgumentTypeError, match=r"async_import_users\(\) takes an Async"):
        bulk.import_users(async_client, [], import_id="a")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError, match="make one with UsersClient"):
        bulk.import_users("http://x", [], import_id="a")  # type: ignore[arg-type]


# ---- async -------------------------------------------------------------------------


async def _arows(count: int) -> AsyncIterator[dict[str, str]]:
    for row in rows(count):
        yield row


@pytest.mark.anyio
async def test_async_import_and_rerun(async_client: AsyncUsersClient, client: UsersClient) -> None:
    progress: list[bulk.ImportProgress] = []
    first = await bulk.async_import_users(
        async_client, _arows(N), import_id="async", on_progress=progress.append
    )
    second = await bulk.async_import_users(async_client, rows(N), import_id="async")

    assert (first.created, first.failed, second.replayed, second.failed) == (N, 0, N, 0)
    assert [p.done for p in progress] == list(range(1, N + 1))
    assert progress[-1].total is None  # an async generator has no length
    listed = emails(client)
    assert len(listed) == N == len(set(listed))


@pytest.mark.anyio
async def test_async_crash_then_rerun(async_client: AsyncUsersClient, client: UsersClient) -> None:
    with pytest.raises(Crash):
        await bulk.async_import_users(async_client, crashing(N, N // 2), import_id="acrash")
    summary = await bulk.async_import_users(async_client, rows(N), import_id="acrash")
    assert summary.failed == 0
    assert summary.created + summary.replayed == N
    # Cancelled with the crash: the rows in flight may or may not have reached the server.
    assert N // 2 - bulk.DEFAULT_CONCURRENCY <= summary.replayed <= N // 2
    listed = emails(client)
    assert len(listed) == N == len(set(listed))


@pytest.mark.anyio
async def test_async_429_storm_and_invitations(
    async_client: AsyncUsersClient, server: ServerControl
) -> None:
    server.queue_fault(429, count=30, retry_after="0")
    progress: list[bulk.ImportProgress] = []
    hires = [{**row, "status": "invited"} for row in rows(50)]
    summary = await bulk.async_import_users(
        async_client, hires, import_id="astorm", invite=True, on_progress=progress.append
    )
    assert (summary.created, summary.failed, summary.throttled) == (50, 0, 30)
    assert progress[-1].total == 50
    assert min(p.concurrency for p in progress) < bulk.DEFAULT_CONCURRENCY
    assert len(server.invitations()) == 50


@pytest.mark.anyio
async def test_async_a_callback_error_stops_the_import_and_is_raised_as_is(
    async_client: AsyncUsersClient, client: UsersClient
) -> None:
    class Full(Exception):
        pass

    def stop_at_ten(progress: bulk.ImportProgress) -> None:
        if progress.done == 10:
            raise Full

    with pytest.raises(Full):
        await bulk.async_import_users(
            async_client, rows(N), import_id="afull", on_progress=stop_at_ten
        )
    assert 10 <= len(emails(client)) <= 10 + bulk.DEFAULT_CONCURRENCY


@pytest.mark.anyio
async def test_async_a_refused_credential_stops_the_import(
    bulk_server: str, client: UsersClient
) -> None:
    async with AsyncUsersClient(base_url=bulk_server, token="not-the-token") as stranger:
        with pytest.raises(AuthenticationError):
            await bulk.async_import_users(stranger, rows(200), import_id="stranger")
    assert emails(client) == []
