"""The reference server under load: 64 concurrent clients creating, updating
and reading 2,000 users over real HTTP, with bounded counts.

Every call is made with max_retries=0, so a 5xx or a dropped connection fails
the test instead of being retried away. Each update carries If-Match, so a
lost update would show as a 412 or a wrong value read back; at the end every
created user must be listed, once.
"""

from __future__ import annotations

import time
import uuid

import anyio
import pytest

from users_sdk import AsyncUsersClient

from .conftest import OWNER_TOKEN

CLIENTS = 64
USERS = 2_000
# Generous: the run takes seconds; the bound only stops a hung server.
DEADLINE_S = 180


@pytest.mark.slow
@pytest.mark.anyio
async def test_64_clients_create_update_and_read_2000_users(
    reference_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    domain = f"load-{uuid.uuid4().hex[:8]}.example.com"
    created: dict[str, str] = {}  # user id -> the department its update set
    operations = 0

    async def client_work(number: int) -> None:
        nonlocal operations
        async with AsyncUsersClient(
            base_url=reference_server, token=OWNER_TOKEN, max_retries=0
        ) as client:
            for index in range(number, USERS, CLIENTS):
                user = await client.users.create(email=f"u{index:05d}@{domain}")
                department = f"dept-{number}-{index}"
                updated = await client.users.update(
                    user.id, department=department, if_match=user.version
                )
                assert updated.version == user.version + 1
                read = await client.users.get(user.id)
                assert (read.department, read.version) == (department, updated.version)
                created[user.id] = department
                operations += 3

    started = time.perf_counter()
    with anyio.fail_after(DEADLINE_S):
        async with anyio.create_task_group() as group:
            for number in range(CLIENTS):
                group.start_soon(client_work, number)
    elapsed = time.perf_counter() - started

    async with AsyncUsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        listed = [user async for user in client.users.list(email_domain=domain, limit=100)]
    assert len(created) == USERS
    assert sorted(user.id for user in listed) == sorted(created)  # every one, once
    assert {user.id: user.department for user in listed} == created  # no lost update
    with capsys.disabled():
        print(
            f"\n== load: {CLIENTS} clients, {USERS} users, {operations} operations in "
            f"{elapsed:.1f} s ({operations / elapsed:.0f} per second), 0 errors =="
        )
