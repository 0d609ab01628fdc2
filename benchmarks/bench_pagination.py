"""Pagination figures: every user of the canned listing (10,000 in a full run)
through `client.users.list()`, against a hand-written raw-httpx2 cursor loop,
plus where the time goes and the peak memory of the walk."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
from canned_server import PAGE_SIZE
from common import TOKEN, counted_walks, raw_pages
from harness import MB, Config, cpu, figure, interleaved, median, ms, paired_ratio, spread, wall

from users_api_client.models import User
from users_sdk import UsersClient
from users_sdk import _parsing as adapter


def _pass_through(item: Any) -> Any:
    return item


@contextmanager
def models_switched_off() -> Iterator[None]:
    """Where the time goes: the SDK's walk with the model step switched off
    (the page parser passes the JSON objects through), so that what is left
    is the paging machinery: requests, checks, cursors, iteration."""
    # Both builders the parser may call: the page's (build_list) and the one
    # per item it falls back to.
    shapes, typed = adapter.SHAPES, adapter._TYPED
    user = shapes["User"]._replace(build=_pass_through, build_list=_pass_through)
    adapter.SHAPES = {**shapes, "User": user}
    adapter._TYPED = None  # the typed decode too: the page goes to the builders
    try:
        yield
    finally:
        adapter.SHAPES, adapter._TYPED = shapes, typed


def bench_pagination(config: Config, base_url: str) -> list[dict[str, Any]]:
    """Every user of the canned listing through auto-pagination and by hand."""
    total = config.pages * PAGE_SIZE
    sdk = UsersClient(base_url=base_url, token=TOKEN)
    raw = httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"})

    walks = counted_walks(sdk, raw, base_url, config.pages)
    run_sdk, run_raw_dicts = walks["users_sdk"], walks["raw_dicts"]

    def run_raw_models() -> None:
        count = 0
        from_dict = User.from_dict
        for item in raw_pages(raw, base_url, config.pages):
            from_dict(item)
            count += 1
        assert count == total, count

    def run_sdk_without_models() -> None:
        with models_switched_off():
            run_sdk()

    with models_switched_off():  # the switch still reaches the parser the pages use
        first = next(iter(sdk.users.list(limit=PAGE_SIZE)))
        assert isinstance(first, dict), f"the model step was not switched off: {type(first)}"

    variants = {
        "users_sdk": run_sdk,
        "raw_dicts": run_raw_dicts,
        "raw_models": run_raw_models,
        "users_sdk_no_models": run_sdk_without_models,
    }
    for run in variants.values():
        run()
    samples = interleaved(variants, config.page_rounds)

    # A separate pass: tracing slows everything, so it never runs in the timed rounds.
    memory: dict[str, float] = {}
    for name in ("users_sdk", "raw_dicts"):
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        variants[name]()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        memory[name] = (peak - start) / MB
    sdk.close()
    raw.close()

    title = f"iterating {total:,} users through auto-pagination ({PAGE_SIZE} per page)"
    measure = "client CPU time for the whole walk"
    common: dict[str, Any] = {"rounds": config.page_rounds, "users": total, "page_size": PAGE_SIZE}
    sdk_cpu = cpu(samples["users_sdk"])
    raw_cpu = cpu(samples["raw_dicts"])
    models_cpu = cpu(samples["raw_models"])
    no_models_cpu = cpu(samples["users_sdk_no_models"])
    return [
        figure(
            id="pagination_time",
            title=title,
            candidate="for user in client.users.list(limit=100)",
            baseline="hand-written raw-httpx2 cursor loop (json.loads, dicts)",
            measure=measure,
            value=paired_ratio(sdk_cpu, raw_cpu),
            target=("<=", 1.0),
            candidate_median_ms=ms(median(sdk_cpu)),
            baseline_median_ms=ms(median(raw_cpu)),
            wall_ratio=round(
                paired_ratio(wall(samples["users_sdk"]), wall(samples["raw_dicts"])), 4
            ),
            round_ratio_iqr=spread(sdk_cpu, raw_cpu),
            **common,
        ),
        figure(
            id="pagination_time_models",
            title=title,
            candidate="for user in client.users.list(limit=100)",
            baseline="the same raw-httpx2 loop + generated User.from_dict per item (same output)",
            measure=measure,
            value=paired_ratio(sdk_cpu, models_cpu),
            target=None,
            candidate_median_ms=ms(median(sdk_cpu)),
            baseline_median_ms=ms(median(models_cpu)),
            wall_ratio=round(
                paired_ratio(wall(samples["users_sdk"]), wall(samples["raw_models"])), 4
            ),
            round_ratio_iqr=spread(sdk_cpu, models_cpu),
            **common,
        ),
        figure(
            id="pagination_time_no_models",
            title=title,
            candidate="the same SDK walk with the model step switched off (yields the JSON dicts)",
            baseline="hand-written raw-httpx2 cursor loop (json.loads, dicts)",
            measure=measure,
            value=paired_ratio(no_models_cpu, raw_cpu),
            target=None,
            candidate_median_ms=ms(median(no_models_cpu)),
            baseline_median_ms=ms(median(raw_cpu)),
            round_ratio_iqr=spread(no_models_cpu, raw_cpu),
            **common,
        ),
        figure(
            id="pagination_memory",
            title=f"peak memory growth while iterating {total:,} users",
            candidate="for user in client.users.list(limit=100)",
            baseline="(absolute; raw-httpx2 loop shown for reference)",
            measure="tracemalloc peak minus memory at start",
            value=memory["users_sdk"],
            target=("<", 5.0),
            unit="MB",
            raw_httpx_loop_mb=round(memory["raw_dicts"], 3),
            users=total,
        ),
    ]
