"""End-to-end figures: users.get() and a full listing against the reference
server (server/users_server: FastAPI + SQLite, in-memory database) in a child
process, seeded through the SDK. Server time dominates these, so they only
show that nothing in the facade shows up end to end. When the server cannot
be imported both rows are written as skipped, with the reason."""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx2
from canned_server import PAGE_SIZE
from common import raw_pages
from harness import Config, figure, interleaved, median, ms, paired_ratio, skipped, us, wall
from reference_server import OWNER_TOKEN, ReferenceServerMissing, start_reference_server

from users_sdk import UsersClient

RAW_GET = "raw httpx2.Client.get + json.loads"
RAW_LIST = "hand-written raw-httpx2 cursor loop (json.loads, dicts)"


def bench_end_to_end(config: Config) -> list[dict[str, Any]]:
    """users.get() and a full listing against the reference server (FastAPI + SQLite)."""
    get_title = "one users.get() end to end (reference server)"
    list_title = f"listing {config.e2e_users} users end to end (reference server)"
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
    except ReferenceServerMissing as missing:
        reason = f"skipped: {missing}"
        print(reason, file=sys.stderr)
        return [
            skipped(id="e2e_get", title=get_title, baseline=RAW_GET, reason=reason),
            skipped(id="e2e_list", title=list_title, baseline=RAW_LIST, reason=reason),
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
    ]
