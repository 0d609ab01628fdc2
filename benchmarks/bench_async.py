"""Async figures: 1,000 get() calls through AsyncUsersClient with 50 in flight
against UsersClient one by one, on the canned server's slow port (a fixed
3 ms before every answer, standing in for network latency: without it there
is nothing for 50 requests in flight to overlap).

A raw httpx2.AsyncClient doing the same in the same rounds shows what the
async HTTP stack itself allows here, and gives the baseline of the
CPU-per-request row.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2
from common import TOKEN, USER_ID, connections, new_connections
from harness import Config, Target, cpu, figure, interleaved, median, paired_ratio, spread, us, wall

from users_sdk import AsyncUsersClient, UsersClient

IN_FLIGHT = 50


def bench_async(config: Config, server: dict[str, Any]) -> list[dict[str, Any]]:
    """The async rows; `server` is what start_canned_server() yields."""
    slow_url, delay = server["slow"], server["delay"]
    calls = config.async_calls
    sync_client = UsersClient(base_url=slow_url, token=TOKEN)
    url = f"{slow_url}/v1/users/{USER_ID}"

    async def in_flight(call: Callable[[], Any], count: int) -> None:
        # IN_FLIGHT workers sharing one counter: `count` calls, 50 at a time.
        remaining = iter(range(count))

        async def worker() -> None:
            for _ in remaining:
                await call()

        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))

    def run_sync() -> None:
        get = sync_client.users.get
        for _ in range(calls):
            get(USER_ID)

    with asyncio.Runner() as runner:
        async_client = AsyncUsersClient(base_url=slow_url, token=TOKEN)
        # httpx2's default limits are the SDK's: 100 connections, 20 kept alive.
        raw_client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"})

        def sdk_get() -> Any:
            return async_client.users.get(USER_ID)

        async def raw_get() -> Any:
            return json.loads((await raw_client.get(url)).content)

        for call in (sdk_get, raw_get):  # open and warm the connections
            runner.run(in_flight(call, IN_FLIGHT * 2))
        for _ in range(IN_FLIGHT // 10):
            sync_client.users.get(USER_ID)
        before = connections(server["fast"])
        variants = {
            "sync": run_sync,
            "async": lambda: runner.run(in_flight(sdk_get, calls)),
            "raw_async": lambda: runner.run(in_flight(raw_get, calls)),
        }
        samples = interleaved(variants, config.async_rounds)
        reconnects = new_connections(server["fast"], before, "slow")
        runner.run(async_client.close())
        runner.run(raw_client.aclose())
    sync_client.close()

    title = f"{calls:,} get() calls, {IN_FLIGHT} in flight (server waits {delay * 1e3:g} ms each)"
    common = {
        "rounds": config.async_rounds,
        "calls": calls,
        "server_delay_ms": delay * 1e3,
        "new_connections_while_measuring": reconnects,
    }

    def speed_up(*, id: str, name: str, candidate: str, target: Target | None) -> dict[str, Any]:
        return figure(
            id=id,
            title=title,
            candidate=candidate,
            baseline="UsersClient, one by one",
            measure="speed-up: wall time of the baseline / wall time of the candidate",
            # Inverted on purpose: a speed-up is baseline / candidate.
            value=paired_ratio(wall(samples["sync"]), wall(samples[name])),
            target=target,
            **common,
            candidate_median_s=round(median(wall(samples[name])), 4),
            baseline_median_s=round(median(wall(samples["sync"])), 4),
            candidate_cpu_per_call_us=us(median(cpu(samples[name])) / calls),
            baseline_cpu_per_call_us=us(median(cpu(samples["sync"])) / calls),
            speedup_iqr=spread(wall(samples["sync"]), wall(samples[name])),
        )

    # Both async variants run the same calls in the same rounds, so the ratio
    # of their CPU times is the ratio of their CPU per request.
    async_cpu, raw_cpu = cpu(samples["async"]), cpu(samples["raw_async"])
    return [
        speed_up(
            id="async_concurrency",
            name="async",
            candidate=f"AsyncUsersClient, {IN_FLIGHT} in flight",
            target=(">=", 4.0),
        ),
        speed_up(
            id="async_concurrency_raw_httpx",
            name="raw_async",
            candidate=f"raw httpx2.AsyncClient + json.loads, {IN_FLIGHT} in flight (reference)",
            target=None,
        ),
        figure(
            id="async_cpu_per_request",
            title=title,
            candidate=f"AsyncUsersClient, {IN_FLIGHT} in flight",
            baseline=f"raw httpx2.AsyncClient + json.loads, {IN_FLIGHT} in flight",
            measure="client CPU time per request",
            value=paired_ratio(async_cpu, raw_cpu),
            target=("<=", 1.15),
            **common,
            candidate_cpu_per_call_us=us(median(async_cpu) / calls),
            baseline_cpu_per_call_us=us(median(raw_cpu) / calls),
            wall_ratio=round(paired_ratio(wall(samples["async"]), wall(samples["raw_async"])), 4),
            round_ratio_iqr=spread(async_cpu, raw_cpu),
        ),
    ]
