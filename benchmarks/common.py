"""What several figure groups share: the canned server's token and user id,
its connection counts, and the hand-written raw-httpx2 cursor loop that the
pagination and end-to-end figures measure the SDK against."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
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
