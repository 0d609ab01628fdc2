"""What several figure groups share: the canned server's token and user id,
its connection counts, and the hand-written raw-httpx2 cursor loop that the
pagination and end-to-end figures measure the SDK against."""

from __future__ import annotations

import itertools
import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
from canned_server import PAGE_SIZE

TOKEN = "bench-token"
USER_ID = "usr_000001"


def connections(stats_url: str) -> dict[str, int]:
    """Connections the canned server has accepted so far, per port (its fast port's URL)."""
    with urllib.request.urlopen(stats_url + "/_stats", timeout=5) as response:
        counts: dict[str, int] = json.loads(response.read())["connections"]
    return counts


def new_connections(stats_url: str, before: dict[str, int], port: str) -> int:
    """Connections opened on `port` ("fast" or "slow") since `before`.

    The /_stats query opens a connection of its own on the fast port.
    """
    return connections(stats_url)[port] - before[port] - (1 if port == "fast" else 0)


def raw_pages(client: httpx2.Client, base_url: str, pages: int) -> Iterator[dict[str, Any]]:
    """The hand-written raw-httpx2 cursor loop: GET, json.loads, follow next_cursor."""
    url = base_url + "/v1/users"
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    for _ in range(pages):
        data = json.loads(client.get(url, params=params).content)
        yield from data["items"]
        cursor = data["next_cursor"]
        if cursor is None:
            return
        params = {"limit": PAGE_SIZE, "cursor": cursor}


def counted_walks(
    sdk: Any, raw: httpx2.Client, base_url: str, pages: int
) -> dict[str, Callable[[], None]]:
    """The two walks every pagination figure compares: the SDK's auto-pagination
    and the raw loop of dicts, each checking it saw every user."""
    total = pages * PAGE_SIZE

    def run_sdk() -> None:
        count = 0
        for _user in itertools.islice(sdk.users.list(limit=PAGE_SIZE), total):
            count += 1
        assert count == total, count

    def run_raw_dicts() -> None:
        count = 0
        for _item in raw_pages(raw, base_url, pages):
            count += 1
        assert count == total, count

    return {"users_sdk": run_sdk, "raw_dicts": run_raw_dicts}
