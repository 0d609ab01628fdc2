"""End-to-end figures: users.get() and a full listing against the reference
server (server/users_server: FastAPI + SQLite, in-memory database) in a child
process, seeded through the SDK. Server time dominates these, so they only
show that nothing in the facade shows up end to end. The load row has 64
AsyncUsersClients create, update (with If-Match) and read users at once,
against one UsersClient doing the same one by one: what the server sustains.
When the server cannot be imported the rows are written as skipped, with the
reason."""

from __future__ import annotations

import json
import sys
import time
import uuid
from typing import Any

import anyio
import httpx2
from canned_server import PAGE_SIZE
from common import raw_pages
from harness import Config, figure, interleaved, median, ms, paired_ratio, skipped, us, wall
from reference_server import OWNER_TOKEN, ReferenceServerMissing, start_reference_server

from users_sdk import AsyncUsersClient, UsersClient

RAW_GET = "raw httpx2.Client.get + json.loads"
RAW_LIST = "hand-written raw-httpx2 cursor loop (json.loads, dicts)"
ONE_BY_ONE = "one UsersClient, the same work one call at a time"
LOAD_CLIENTS = 64


def _one_user(user: Any, department: str) -> None:
    if (user.department, user.version) != (department, 2):
        raise AssertionError(f"lost update: {user.id} {user.department!r} v{user.version}")


def load_one_by_one(base_url: str, users: int) -> float:
    """Seconds for one client to create, update and read `users` users."""
    domain = f"seq-{uuid.uuid4().hex[:8]}.example.com"
    started = time.perf_counter()
    with UsersClient(base_url=base_url, token=OWNER_TOKEN, max_retries=0) as client:
        for index in range(users):
            user = client.users.create(email=f"u{index}@{domain}")
            client.users.update(user.id, department=f"d{index}", if_match=user.version)
            _one_user(client.users.get(user.id), f"d{index}")
    return time.perf_counter() - started


def load_concurrent(base_url: str, users: int) -> float:
    """Seconds for 64 clients at once to do the same work (no retries: any
    5xx or lost update fails the run)."""
    domain = f"par-{uuid.uuid4().hex[:8]}.example.com"

    async def worker(number: int) -> None:
        async with AsyncUsersClient(base_url=base_url, token=OWNER_TOKEN, max_retries=0) as c:
            for index in range(number, users, LOAD_CLIENTS):
                user = await c.users.create(email=f"u{index}@{domain}")
                await c.users.update(user.id, department=f"d{index}", if_match=user.version)
                _one_user(await c.users.get(user.id), f"d{index}")

    async def main() -> float:
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for number in range(LOAD_CLIENTS):
                group.start_soon(worker, number)
        elapsed = time.perf_counter() - started
        async with AsyncUsersClient(base_url=base_url, token=OWNER_TOKEN) as client:
            listed = [u async for u in client.users.list(email_domain=domain, limit=100)]
        if len(listed) != users:
            raise AssertionError(f"{len(listed)} of {users} created users listed")
        return elapsed

    return anyio.run(main)


def bench_end_to_end(config: Config) -> list[dict[str, Any]]:
    """users.get() and a full listing against the reference server (FastAPI + SQLite)."""
    get_title = "one users.get() end to end (reference server)"
    list_title = f"listing {config.e2e_users} users end to end (reference server)"
    load_title = (
        f"{LOAD_CLIENTS} clients creating, updating and reading {config.load_users} users "
        "(reference server)"
    )
    try:
        with start_reference_server() as base_url:
            sdk = UsersClient(base_url=base_url, token=OWNER_TOKEN)
            raw = httpx2.Client(headers={"Authorization": f"Bearer {OWNER_TOKEN}"})
            for n in range(config.e2e_users):
                sdk.users.create(email=f"bench{n}@example.com", display_name=f"Bench {n}")
            user_id = sdk.users.list(limit=1).items[0].id
            url = f"{base_url}/v1/users/{user_id}"
            calls = config.e2e_calls
            expected = sum(1 for _ in raw_pages(raw, base_url, 10**6))

            def get_sdk() -> None:
                for _ in range(calls):
                    sdk.users.get(user_id)

            def get_raw() -> None:
                for _ in range(calls):
                    json.loads(raw.get(url).content)

            def list_sdk() -> None:
                assert sum(1 for _ in sdk.users.list(limit=PAGE_SIZE)) == expected

            def list_raw() -> None:
                assert sum(1 for _ in raw_pages(raw, base_url, 10**6)) == expected

            for run in (get_sdk, get_raw, list_sdk, list_raw):
                run()
            gets = interleaved({"sdk": get_sdk, "raw": get_raw}, config.e2e_rounds, per=calls)
            lists = interleaved({"sdk": list_sdk, "raw": list_raw}, config.e2e_rounds)
            sdk.close()
            raw.close()
            sequential = load_one_by_one(base_url, config.load_users)
            concurrent = load_concurrent(base_url, config.load_users)
    except ReferenceServerMissing as missing:
        reason = f"skipped: {missing}"
        print(reason, file=sys.stderr)
        return [
            skipped(id="e2e_get", title=get_title, baseline=RAW_GET, reason=reason),
            skipped(id="e2e_list", title=list_title, baseline=RAW_LIST, reason=reason),
            skipped(id="e2e_load", title=load_title, baseline=ONE_BY_ONE, reason=reason),
        ]
    return [
        figure(
            id="e2e_get",
            title=get_title,
            candidate="UsersClient.users.get()",
            baseline=RAW_GET,
            measure="wall time per call (server included)",
            value=paired_ratio(wall(gets["sdk"]), wall(gets["raw"])),
            target=None,
            candidate_median_us=us(median(wall(gets["sdk"]))),
            baseline_median_us=us(median(wall(gets["raw"]))),
            rounds=config.e2e_rounds,
            calls_per_round=calls,
        ),
        figure(
            id="e2e_list",
            title=list_title,
            candidate="for user in client.users.list(limit=100)",
            baseline=RAW_LIST,
            measure="wall time for the whole walk (server included)",
            value=paired_ratio(wall(lists["sdk"]), wall(lists["raw"])),
            target=None,
            candidate_median_ms=ms(median(wall(lists["sdk"]))),
            baseline_median_ms=ms(median(wall(lists["raw"]))),
            rounds=config.e2e_rounds,
            users=expected,
        ),
        figure(
            id="e2e_load",
            title=load_title,
            candidate=f"{LOAD_CLIENTS} AsyncUsersClients at once (no retries, If-Match)",
            baseline=ONE_BY_ONE,
            measure="speed-up: wall time of the baseline / wall time of the candidate",
            value=round(sequential / concurrent, 3),
            target=None,
            unit="x speed-up",
            operations=3 * config.load_users,
            candidate_operations_per_second=round(3 * config.load_users / concurrent),
            baseline_operations_per_second=round(3 * config.load_users / sequential),
            errors=0,
        ),
    ]
