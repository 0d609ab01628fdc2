"""Writers racing on one user with If-Match, against the real reference server.

Each round, every writer reads the same version, waits at a barrier, then
sends its update with `if_match=` that version. Exactly one wins; every other
gets PreconditionFailedError; the user ends the round with the winner's value
and one more version. After all rounds the version has grown by exactly the
number of wins: nothing was silently overwritten.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest

from users_sdk import AsyncUsersClient, PreconditionFailedError, UsersClient

from .conftest import OWNER_TOKEN

ROUNDS = 20


def _new_user(reference_server: str) -> Any:
    with UsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        return client.users.create(email=f"race-{uuid.uuid4().hex[:10]}@race.example.com")


def _report(title: str, wins: Counter[str], lost: int, first: int, last: int, capsys: Any) -> None:
    with capsys.disabled():
        print(
            f"\n== {title}: {ROUNDS} rounds, wins by writer {dict(sorted(wins.items()))}, "
            f"{lost} PreconditionFailedError, version {first} -> {last} =="
        )


@pytest.mark.parametrize("writers", [2, 4])
def test_threads_racing_with_if_match(
    reference_server: str, writers: int, capsys: pytest.CaptureFixture[str]
) -> None:
    user = _new_user(reference_server)
    clients = [UsersClient(base_url=reference_server, token=OWNER_TOKEN) for _ in range(writers)]
    for client in clients:
        client.users.me()  # open each connection before the first race
    barrier = threading.Barrier(writers)
    wins: Counter[str] = Counter()
    lost = 0
    version = user.version

    def write(index: int, round_number: int, expected_version: int) -> Any:
        value = f"r{round_number}-w{index}"
        barrier.wait(timeout=10)
        try:
            return clients[index].users.update(user.id, department=value, if_match=expected_version)
        except PreconditionFailedError as error:
            return error

    try:
        with ThreadPoolExecutor(writers) as pool:
            for round_number in range(ROUNDS):
                outcomes = list(
                    pool.map(
                        lambda index: write(index, round_number, version),  # noqa: B023
                        range(writers),
                    )
                )
                winners = [o for o in outcomes if not isinstance(o, PreconditionFailedError)]
                assert len(winners) == 1, outcomes
                (winner,) = winners
                assert winner.version == version + 1
                losers = [o for o in outcomes if isinstance(o, PreconditionFailedError)]
                assert len(losers) == writers - 1
                for loser in losers:
                    assert loser.status_code == 412
                    # says what to do, once (the server's detail already advises it)
                    assert str(loser).lower().count("reapply your change") == 1
                current = clients[0].users.get(user.id)
                assert (current.version, current.department) == (version + 1, winner.department)
                wins[winner.department.split("-")[1]] += 1
                lost += len(losers)
                version = current.version
    finally:
        for client in clients:
            client.close()
    assert sum(wins.values()) == ROUNDS
    assert version == user.version + sum(wins.values())
    _report(f"{writers} threads", wins, lost, user.version, version, capsys)


@pytest.mark.anyio
async def test_async_clients_racing_with_if_match(
    reference_server: str, capsys: pytest.CaptureFixture[str], anyio_backend: str
) -> None:
    user = _new_user(reference_server)
    wins: Counter[str] = Counter()
    lost = 0
    version = user.version
    async with (
        AsyncUsersClient(base_url=reference_server, token=OWNER_TOKEN) as first,
        AsyncUsersClient(base_url=reference_server, token=OWNER_TOKEN) as second,
    ):
        clients = [first, second]
        for client in clients:
            await client.users.me()

        async def write(index: int, expected: int, value: str, outcomes: list[Any]) -> None:
            try:
                outcomes[index] = await clients[index].users.update(
                    user.id, department=value, if_match=expected
                )
            except PreconditionFailedError as error:
                outcomes[index] = error

        for round_number in range(ROUNDS):
            outcomes: list[Any] = [None, None]
            async with anyio.create_task_group() as group:
                # Alternate who starts first: on one event loop, the first to send wins.
                for index in (0, 1) if round_number % 2 else (1, 0):
                    group.start_soon(write, index, version, f"r{round_number}-w{index}", outcomes)
            winners = [o for o in outcomes if not isinstance(o, PreconditionFailedError)]
            assert len(winners) == 1, outcomes
            assert winners[0].version == version + 1
            current = await first.users.get(user.id)
            assert current.department == winners[0].department
            wins[winners[0].department.split("-")[1]] += 1
            lost += 1
            version = current.version
    assert version == user.version + ROUNDS
    _report("2 async clients", wins, lost, user.version, version, capsys)


def test_without_if_match_the_last_writer_wins(reference_server: str) -> None:
    """The contrast: without If-Match both updates succeed and the second replaces
    the first, as documented. If-Match is what makes a race safe."""
    user = _new_user(reference_server)
    with (
        UsersClient(base_url=reference_server, token=OWNER_TOKEN) as one,
        UsersClient(base_url=reference_server, token=OWNER_TOKEN) as two,
    ):
        one.users.update(user.id, department="first")
        two.users.update(user.id, department="second")
        final = one.users.get(user.id)
    assert (final.version, final.department) == (user.version + 2, "second")
