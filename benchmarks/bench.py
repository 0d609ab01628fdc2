"""Benchmarks: what the users_sdk facade costs over raw httpx2, as ratios.

    python benchmarks/bench.py            # the full run (a few minutes), `make bench`
    python benchmarks/bench.py --smoke    # tiny rounds, seconds: `make bench-smoke`, CI

Every figure is a ratio against a baseline measured in the same run, in rounds
that interleave the variants (baseline, candidate, baseline, candidate, ...,
with the order rotated each round) so that a machine that speeds up or slows
down during the run moves both sides alike. A ratio is the median over rounds
of the per-round ratio; the medians of the absolute times are reported beside
it (they drift between runs and machines; the ratios are what to compare).

Client-side cost is the client process's CPU time (time.process_time): the
servers run in child processes, so their work never counts, and neither does
waiting on the loopback. Wall-clock ratios are recorded in the JSON too.

Servers:
- benchmarks/canned_server.py: precomputed bytes, keep-alive, in a child
  process. A second port adds a fixed 3 ms delay before every answer (modelled
  network latency, identical for every client) for the concurrency figure.
- the reference server (server/users_server, FastAPI + SQLite), via
  users_server.background.run_server in a child process, for the end-to-end
  figures; skipped with the reason when it cannot be imported.

Prints a Markdown table and writes every figure to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gc
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import attrs  # noqa: E402
import httpx2  # noqa: E402
import requests  # noqa: E402
from canned_server import PAGE_SIZE, PAGES, page_body, start_canned_server  # noqa: E402
from reference_server import (  # noqa: E402
    OWNER_TOKEN,
    ReferenceServerMissing,
    start_reference_server,
)

from users_api_client import AuthenticatedClient  # noqa: E402
from users_api_client import models as generated_models  # noqa: E402
from users_api_client.api.users import get_user  # noqa: E402
from users_api_client.models import User  # noqa: E402
from users_api_client.types import UNSET  # noqa: E402
from users_sdk import AsyncUsersClient, UsersClient  # noqa: E402
from users_sdk import _models as adapter  # noqa: E402

TOKEN = "bench-token"
USER_ID = "usr_000001"
IN_FLIGHT = 50
MB = 1024 * 1024

# Every figure the JSON holds, in table order (the smoke test checks them all).
FIGURE_IDS = (
    "import_time",
    "get_vs_httpx",
    "get_vs_generated",
    "get_vs_requests",
    "pagination_time",
    "pagination_time_models",
    "pagination_time_no_models",
    "pagination_memory",
    "async_concurrency",
    "async_concurrency_raw_httpx",
    "parse_page",
    "parse_page_generated",
    "parse_page_floor",
    "e2e_get",
    "e2e_list",
)


@dataclass(frozen=True)
class Config:
    import_rounds: int
    get_rounds: int
    get_calls: int
    warmup_calls: int
    page_rounds: int
    pages: int
    async_rounds: int
    async_calls: int
    parse_rounds: int
    parse_iterations: int
    e2e_rounds: int
    e2e_calls: int
    e2e_users: int


FULL = Config(
    import_rounds=30,
    get_rounds=25,
    get_calls=200,
    warmup_calls=300,
    page_rounds=11,
    pages=PAGES,
    async_rounds=7,
    async_calls=1000,
    parse_rounds=25,
    parse_iterations=40,
    e2e_rounds=11,
    e2e_calls=40,
    e2e_users=300,
)
SMOKE = Config(
    import_rounds=2,
    get_rounds=2,
    get_calls=10,
    warmup_calls=5,
    page_rounds=1,
    pages=3,
    async_rounds=1,
    async_calls=100,
    parse_rounds=2,
    parse_iterations=2,
    e2e_rounds=1,
    e2e_calls=3,
    e2e_users=5,
)


# ---- measuring ----------------------------------------------------------------------


@dataclass
class Sample:
    cpu: float
    wall: float


def interleaved(
    variants: dict[str, Callable[[], Any]], rounds: int, per: int = 1
) -> dict[str, list[Sample]]:
    """Run each variant once a round, rotating the order; times divided by `per`."""
    names = list(variants)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            variants[name]()
            cpu1, wall1 = time.process_time(), time.perf_counter()
            samples[name].append(Sample((cpu1 - cpu0) / per, (wall1 - wall0) / per))
    return samples


def paired_ratio(candidate: list[float], baseline: list[float]) -> float:
    """The median of the per-round ratios candidate/baseline."""
    return statistics.median(c / b for c, b in zip(candidate, baseline, strict=True) if b > 0)


def spread(candidate: list[float], baseline: list[float]) -> list[float]:
    ratios = sorted(c / b for c, b in zip(candidate, baseline, strict=True) if b > 0)
    if len(ratios) < 4:
        return [round(ratios[0], 4), round(ratios[-1], 4)]
    q = statistics.quantiles(ratios, n=4)
    return [round(q[0], 4), round(q[2], 4)]


def cpu(samples: list[Sample]) -> list[float]:
    return [s.cpu for s in samples]


def wall(samples: list[Sample]) -> list[float]:
    return [s.wall for s in samples]


def met(value: float | None, target: tuple[str, float] | None) -> bool | None:
    if value is None or target is None:
        return None
    op, bound = target
    return {"<=": value <= bound, "<": value < bound, ">=": value >= bound}[op]


def figure(
    figure_id: str,
    title: str,
    candidate: str,
    baseline: str,
    measure: str,
    value: float | None,
    target: tuple[str, float] | None,
    unit: str = "x",
    **details: Any,
) -> dict[str, Any]:
    return {
        "id": figure_id,
        "figure": title,
        "candidate": candidate,
        "baseline": baseline,
        "measure": measure,
        "value": None if value is None else round(value, 4),
        "unit": unit,
        "target": None if target is None else f"{target[0]} {target[1]:g}",
        "met": met(value, target),
        "status": "ok",
        **details,
    }


def skipped(figure_id: str, title: str, baseline: str, reason: str) -> dict[str, Any]:
    return {
        "id": figure_id,
        "figure": title,
        "candidate": "",
        "baseline": baseline,
        "measure": "",
        "value": None,
        "unit": "x",
        "target": None,
        "met": None,
        "status": "skipped",
        "reason": reason,
    }


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


def us(seconds: float) -> float:
    return round(seconds * 1e6, 2)


# ---- the clients measured -----------------------------------------------------------


class OpenToCloseStyleClient:
    """A requests.Session + dict client in the style of the seed APIs' clients
    (Open To Close's): one session with the auth header, `session.get(url).json()`."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        )

    def get_user(self, user_id: str) -> dict[str, Any]:
        response = self.session.get(f"{self.base_url}/v1/users/{user_id}")
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def close(self) -> None:
        self.session.close()


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


# ---- figures ------------------------------------------------------------------------

IMPORT_SNIPPET = (
    "import time; t0 = time.perf_counter(); {statement}; print(time.perf_counter() - t0)"
)


def bench_import(config: Config) -> dict[str, Any]:
    """`import users_sdk` against `import httpx2`, each in fresh interpreters."""
    statements = {"startup": "pass", "httpx2": "import httpx2", "users_sdk": "import users_sdk"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    inside: dict[str, list[float]] = {name: [] for name in statements}
    total: dict[str, list[float]] = {name: [] for name in statements}

    def run(name: str) -> None:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", IMPORT_SNIPPET.format(statement=statements[name])],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        total[name].append(time.perf_counter() - start)
        inside[name].append(float(result.stdout))

    for name in statements:  # warm the bytecode caches and the OS file cache
        run(name)
        inside[name].clear()
        total[name].clear()
    names = list(statements)
    for round_number in range(config.import_rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            run(name)

    ratio = paired_ratio(inside["users_sdk"], inside["httpx2"])
    startup = statistics.median(total["startup"])
    subtracted = (statistics.median(total["users_sdk"]) - startup) / (
        statistics.median(total["httpx2"]) - startup
    )
    return figure(
        "import_time",
        "`import users_sdk` in a fresh interpreter",
        "import users_sdk",
        "import httpx2",
        "import time inside a fresh interpreter (startup excluded)",
        ratio,
        ("<=", 1.25),
        rounds=config.import_rounds,
        candidate_median_ms=round(statistics.median(inside["users_sdk"]) * 1e3, 2),
        baseline_median_ms=round(statistics.median(inside["httpx2"]) * 1e3, 2),
        interpreter_startup_ms=round(startup * 1e3, 2),
        ratio_whole_process_minus_startup=round(subtracted, 4),
        round_ratio_iqr=spread(inside["users_sdk"], inside["httpx2"]),
    )


def bench_get(config: Config, base_url: str) -> list[dict[str, Any]]:
    """One users.get() on a warm keep-alive connection against three baselines."""
    url = f"{base_url}/v1/users/{USER_ID}"
    sdk = UsersClient(base_url=base_url, token=TOKEN, max_retries=2)
    raw = httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"})
    generated = AuthenticatedClient(base_url=base_url, token=TOKEN)
    otc = OpenToCloseStyleClient(base_url, TOKEN)
    calls = config.get_calls

    assert sdk.users.get(USER_ID).id == USER_ID
    assert json.loads(raw.get(url).content)["id"] == USER_ID
    assert isinstance(get_user.sync_detailed(USER_ID, client=generated).parsed, User)
    assert otc.get_user(USER_ID)["id"] == USER_ID

    def run_sdk() -> None:
        get = sdk.users.get
        for _ in range(calls):
            get(USER_ID)

    def run_httpx() -> None:
        get, loads = raw.get, json.loads
        for _ in range(calls):
            loads(get(url).content)

    def run_generated() -> None:
        sync_detailed = get_user.sync_detailed
        for _ in range(calls):
            sync_detailed(USER_ID, client=generated)

    def run_requests() -> None:
        get = otc.get_user
        for _ in range(calls):
            get(USER_ID)

    variants = {
        "users_sdk": run_sdk,
        "httpx2": run_httpx,
        "generated": run_generated,
        "requests": run_requests,
    }
    for _ in range(max(1, config.warmup_calls // max(calls, 1))):
        for run in variants.values():
            run()
    before = connections(base_url)
    samples = interleaved(variants, config.get_rounds, per=calls)
    reconnects = new_connections(base_url, before, "fast")
    for closer in (sdk.close, raw.close, otc.close, generated.get_httpx_client().close):
        closer()

    common = {
        "rounds": config.get_rounds,
        "calls_per_round": calls,
        "new_connections_while_measuring": reconnects,
    }
    rows = []
    for figure_id, name, label, target in (
        ("get_vs_httpx", "httpx2", "raw httpx2.Client.get + json.loads", ("<=", 1.15)),
        (
            "get_vs_generated",
            "generated",
            "generated get_user.sync_detailed (AuthenticatedClient)",
            ("<=", 1.05),
        ),
        (
            "get_vs_requests",
            "requests",
            "requests.Session + dict (Open To Close style: session.get(url).json())",
            ("<", 1.0),
        ),
    ):
        rows.append(
            figure(
                figure_id,
                "one users.get() on a warm connection, client-side cost",
                "UsersClient.users.get()",
                label,
                "client CPU time per call",
                paired_ratio(cpu(samples["users_sdk"]), cpu(samples[name])),
                target,
                candidate_median_us=us(statistics.median(cpu(samples["users_sdk"]))),
                baseline_median_us=us(statistics.median(cpu(samples[name]))),
                wall_ratio=round(paired_ratio(wall(samples["users_sdk"]), wall(samples[name])), 4),
                round_ratio_iqr=spread(cpu(samples["users_sdk"]), cpu(samples[name])),
                **common,
            )
        )
    return rows


def _pass_through(item: Any) -> Any:
    return item


def bench_pagination(config: Config, base_url: str) -> list[dict[str, Any]]:
    """Every user of the canned listing through auto-pagination and by hand."""
    total = config.pages * PAGE_SIZE
    sdk = UsersClient(base_url=base_url, token=TOKEN)
    raw = httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"})

    def run_sdk() -> None:
        count = 0
        for _user in itertools.islice(sdk.users.list(limit=PAGE_SIZE), total):
            count += 1
        assert count == total, count

    def run_raw_dicts() -> None:
        count = 0
        for _item in raw_pages(raw, base_url, config.pages):
            count += 1
        assert count == total, count

    def run_raw_models() -> None:
        count = 0
        from_dict = User.from_dict
        for item in raw_pages(raw, base_url, config.pages):
            from_dict(item)
            count += 1
        assert count == total, count

    def run_sdk_without_models() -> None:
        # Where the time goes: the same walk with the model step switched off
        # (the page parser passes the JSON objects through), so that what is
        # left is the paging machinery: requests, checks, cursors, iteration.
        real = adapter.USER
        adapter.USER = real._replace(build=_pass_through)
        try:
            run_sdk()
        finally:
            adapter.USER = real

    variants = {
        "users_sdk": run_sdk,
        "raw_dicts": run_raw_dicts,
        "raw_models": run_raw_models,
        "users_sdk_no_models": run_sdk_without_models,
    }
    for run in variants.values():
        run()
    samples = interleaved(variants, config.page_rounds)

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

    common = {"rounds": config.page_rounds, "users": total, "page_size": PAGE_SIZE}
    sdk_cpu = cpu(samples["users_sdk"])
    return [
        figure(
            "pagination_time",
            f"iterating {total:,} users through auto-pagination ({PAGE_SIZE} per page)",
            "for user in client.users.list(limit=100)",
            "hand-written raw-httpx2 cursor loop (json.loads, dicts)",
            "client CPU time for the whole walk",
            paired_ratio(sdk_cpu, cpu(samples["raw_dicts"])),
            ("<=", 1.15),
            candidate_median_ms=round(statistics.median(sdk_cpu) * 1e3, 2),
            baseline_median_ms=round(statistics.median(cpu(samples["raw_dicts"])) * 1e3, 2),
            wall_ratio=round(
                paired_ratio(wall(samples["users_sdk"]), wall(samples["raw_dicts"])), 4
            ),
            round_ratio_iqr=spread(sdk_cpu, cpu(samples["raw_dicts"])),
            **common,
        ),
        figure(
            "pagination_time_models",
            f"iterating {total:,} users through auto-pagination ({PAGE_SIZE} per page)",
            "for user in client.users.list(limit=100)",
            "the same raw-httpx2 loop + generated User.from_dict per item (same output)",
            "client CPU time for the whole walk",
            paired_ratio(sdk_cpu, cpu(samples["raw_models"])),
            None,
            candidate_median_ms=round(statistics.median(sdk_cpu) * 1e3, 2),
            baseline_median_ms=round(statistics.median(cpu(samples["raw_models"])) * 1e3, 2),
            wall_ratio=round(
                paired_ratio(wall(samples["users_sdk"]), wall(samples["raw_models"])), 4
            ),
            round_ratio_iqr=spread(sdk_cpu, cpu(samples["raw_models"])),
            **common,
        ),
        figure(
            "pagination_time_no_models",
            f"iterating {total:,} users through auto-pagination ({PAGE_SIZE} per page)",
            "the same SDK walk with the model step switched off (yields the JSON dicts)",
            "hand-written raw-httpx2 cursor loop (json.loads, dicts)",
            "client CPU time for the whole walk",
            paired_ratio(cpu(samples["users_sdk_no_models"]), cpu(samples["raw_dicts"])),
            None,
            candidate_median_ms=round(
                statistics.median(cpu(samples["users_sdk_no_models"])) * 1e3, 2
            ),
            baseline_median_ms=round(statistics.median(cpu(samples["raw_dicts"])) * 1e3, 2),
            round_ratio_iqr=spread(cpu(samples["users_sdk_no_models"]), cpu(samples["raw_dicts"])),
            **common,
        ),
        figure(
            "pagination_memory",
            f"peak memory growth while iterating {total:,} users",
            "for user in client.users.list(limit=100)",
            "(absolute; raw-httpx2 loop shown for reference)",
            "tracemalloc peak minus memory at start",
            memory["users_sdk"],
            ("<", 5.0),
            unit="MB",
            raw_httpx_loop_mb=round(memory["raw_dicts"], 3),
            users=total,
        ),
    ]


def bench_async(config: Config, server: dict[str, Any]) -> list[dict[str, Any]]:
    """1,000 get() calls: AsyncUsersClient with 50 in flight vs UsersClient one by one.

    A raw httpx2.AsyncClient doing the same, also against the one-by-one
    UsersClient, shows what the async HTTP stack itself allows here.
    """
    slow_url, delay = server["slow"], server["delay"]
    calls = config.async_calls
    sync_client = UsersClient(base_url=slow_url, token=TOKEN)
    url = f"{slow_url}/v1/users/{USER_ID}"

    async def in_flight(call: Callable[[], Any], count: int) -> None:
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
    rows = []
    for figure_id, name, label, target in (
        ("async_concurrency", "async", f"AsyncUsersClient, {IN_FLIGHT} in flight", (">=", 3.0)),
        (
            "async_concurrency_raw_httpx",
            "raw_async",
            f"raw httpx2.AsyncClient + json.loads, {IN_FLIGHT} in flight (reference)",
            None,
        ),
    ):
        rows.append(
            figure(
                figure_id,
                title,
                label,
                "UsersClient, one by one",
                "speed-up: wall time of the baseline / wall time of the candidate",
                paired_ratio(wall(samples["sync"]), wall(samples[name])),
                target,
                rounds=config.async_rounds,
                calls=calls,
                server_delay_ms=delay * 1e3,
                new_connections_while_measuring=reconnects,
                candidate_median_s=round(statistics.median(wall(samples[name])), 4),
                baseline_median_s=round(statistics.median(wall(samples["sync"])), 4),
                candidate_cpu_per_call_us=us(statistics.median(cpu(samples[name])) / calls),
                baseline_cpu_per_call_us=us(statistics.median(cpu(samples["sync"])) / calls),
                speedup_iqr=spread(wall(samples["sync"]), wall(samples[name])),
            )
        )
    return rows


def bare_builder(model: type) -> Callable[[dict[str, Any]], Any]:
    """The least any eager typed model layer does per item: allocate the
    object, set every field, parse the date-times, wrap nested models. No
    checks at all, so it trusts its input: a floor to compare with, not a parser.
    Straight-line code written from the attrs fields, as the facade's own
    fast builder is, so that the floor is not inflated by a loop."""
    namespace: dict[str, Any] = {
        "new": object.__new__,
        "model": model,
        "iso": datetime.datetime.fromisoformat,
        "UNSET": UNSET,
    }
    lines = ["def build(d):", "    o = new(model)"]
    for field in attrs.fields(model):
        name = field.name
        tokens = str(field.type).split(" | ")
        kinds = [kind for kind in tokens if kind not in ("None", "Unset")]
        # An optional field (one the spec does not require) may be absent.
        read = f"d.get({name!r}, UNSET)" if "Unset" in tokens else f"d[{name!r}]"
        if name == "additional_properties":
            lines.append("    o.additional_properties = {}")
        elif kinds == ["datetime.datetime"]:
            lines.append(f"    v = {read}")
            lines.append(f"    o.{name} = v if v is None or v is UNSET else iso(v)")
        elif isinstance(getattr(generated_models, kinds[0], None), type):
            namespace[kinds[0]] = getattr(generated_models, kinds[0])
            lines.append(f"    m = new({kinds[0]})")
            lines.append(f"    m.additional_properties = {read}")
            lines.append(f"    o.{name} = m")
        else:
            lines.append(f"    o.{name} = {read}")
    lines.append("    return o")
    exec("\n".join(lines), namespace)
    build: Callable[[dict[str, Any]], Any] = namespace["build"]
    return build


def bench_parse(config: Config) -> list[dict[str, Any]]:
    """A page of 100 users into models, against json.loads of the same bytes."""
    body = page_body(0)
    response = httpx2.Response(200, content=body, headers={"content-type": "application/json"})
    iterations = config.parse_iterations
    users, _, _ = adapter.parse_user_page(response)
    assert len(users) == PAGE_SIZE
    assert isinstance(users[0], User)

    def run_facade() -> None:
        parse = adapter.parse_user_page
        for _ in range(iterations):
            parse(response)

    def run_json() -> None:
        loads = json.loads
        for _ in range(iterations):
            loads(body)

    def run_generated() -> None:
        loads, from_dict = json.loads, User.from_dict
        for _ in range(iterations):
            [from_dict(item) for item in loads(body)["items"]]

    bare = bare_builder(User)
    assert bare(json.loads(body)["items"][0]) == users[0]

    def run_floor() -> None:
        loads = json.loads
        for _ in range(iterations):
            [bare(item) for item in loads(body)["items"]]

    variants = {
        "facade": run_facade,
        "json": run_json,
        "generated": run_generated,
        "floor": run_floor,
    }
    samples = interleaved(variants, config.parse_rounds, per=iterations)
    json_cpu = cpu(samples["json"])
    common = {"rounds": config.parse_rounds, "iterations_per_round": iterations}

    def row(figure_id: str, candidate: str, name: str) -> dict[str, Any]:
        return figure(
            figure_id,
            f"parsing a page of {PAGE_SIZE} users into models",
            candidate,
            "json.loads of the same bytes",
            "CPU time per page",
            paired_ratio(cpu(samples[name]), json_cpu),
            None,
            candidate_median_us=us(statistics.median(cpu(samples[name]))),
            baseline_median_us=us(statistics.median(json_cpu)),
            round_ratio_iqr=spread(cpu(samples[name]), json_cpu),
            **common,
        )

    return [
        row(
            "parse_page",
            "the facade's page parser (what SyncPage uses: json + checks + User models)",
            "facade",
        ),
        row(
            "parse_page_generated",
            "json.loads + generated User.from_dict per item (the generated model layer)",
            "generated",
        ),
        row(
            "parse_page_floor",
            "json.loads + the least an eager model layer does (allocate, set fields, "
            "parse date-times; no checks)",
            "floor",
        ),
    ]


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
            skipped("e2e_get", get_title, "raw httpx2.Client.get + json.loads", reason),
            skipped("e2e_list", list_title, "hand-written raw-httpx2 cursor loop", reason),
        ]
    return [
        figure(
            "e2e_get",
            get_title,
            "UsersClient.users.get()",
            "raw httpx2.Client.get + json.loads",
            "wall time per call (server included)",
            paired_ratio(wall(gets["sdk"]), wall(gets["raw"])),
            None,
            candidate_median_us=us(statistics.median(wall(gets["sdk"]))),
            baseline_median_us=us(statistics.median(wall(gets["raw"]))),
            rounds=config.e2e_rounds,
            calls_per_round=calls,
        ),
        figure(
            "e2e_list",
            list_title,
            "for user in client.users.list(limit=100)",
            "hand-written raw-httpx2 cursor loop (json.loads, dicts)",
            "wall time for the whole walk (server included)",
            paired_ratio(wall(lists["sdk"]), wall(lists["raw"])),
            None,
            candidate_median_ms=round(statistics.median(wall(lists["sdk"])) * 1e3, 2),
            baseline_median_ms=round(statistics.median(wall(lists["raw"])) * 1e3, 2),
            rounds=config.e2e_rounds,
            users=expected,
        ),
    ]


# ---- report -------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu_model = platform.processor() or "unknown"
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())
    except OSError:
        pass
    if "model name" in fields:
        cpu_model = fields["model name"]
        if "cpu family" in fields and "model" in fields:
            cpu_model += f" (family {fields['cpu family']}, model {fields['model']})"
        if "cpu MHz" in fields:
            cpu_model += f", {float(fields['cpu MHz']):.0f} MHz"
    return {
        "cpu": cpu_model,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "httpx2": httpx2.__version__,
        "requests": requests.__version__,
    }


def describe(row: dict[str, Any]) -> str:
    if row["status"] != "ok":
        return "skipped"
    value = row["value"]
    if row["unit"] == "MB":
        return f"{value:.2f} MB"
    if row["id"].startswith("async_concurrency"):
        return f"{value:.2f}x speed-up"
    return f"{value:.3f}x"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| figure | candidate | baseline (same run) | measure | result | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        verdict = {True: "yes", False: "**no**", None: "report"}[row["met"]]
        if row["status"] != "ok":
            verdict = row.get("reason", "skipped")
        lines.append(
            f"| {row['figure']} | {row['candidate']} | {row['baseline']} | {row['measure']} "
            f"| {describe(row)} | {row['target'] or '—'} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny rounds: checks, not figures")
    parser.add_argument(
        "--json",
        type=Path,
        help="output file (default: benchmarks/results.json for a full run, "
        "build/bench-partial.json with --only or --smoke, so that a partial run "
        "never replaces the published figures)",
    )
    parser.add_argument(
        "--only",
        help="comma-separated groups to run: import,get,pagination,async,parse,e2e",
    )
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="write the table and the machine into benchmarks/README.md (full runs only)",
    )
    args = parser.parse_args(argv)
    config = SMOKE if args.smoke else FULL
    if args.json is None:
        partial = args.smoke or args.only
        args.json = (
            HERE.parent / "build" / "bench-partial.json" if partial else HERE / "results.json"
        )
    groups = set((args.only or "import,get,pagination,async,parse,e2e").split(","))
    started = time.perf_counter()

    rows: list[dict[str, Any]] = []
    if "import" in groups:
        rows.append(bench_import(config))
    if groups & {"get", "pagination", "async"}:
        with start_canned_server() as server:
            if "get" in groups:
                rows.extend(bench_get(config, server["fast"]))
            if "pagination" in groups:
                rows.extend(bench_pagination(config, server["fast"]))
            if "async" in groups:
                rows.extend(bench_async(config, server))
    if "parse" in groups:
        rows.extend(bench_parse(config))
    if "e2e" in groups:
        rows.extend(bench_end_to_end(config))
    rows.sort(key=lambda row: FIGURE_IDS.index(row["id"]))

    result = {
        "mode": "smoke" if args.smoke else "full",
        "machine": machine(),
        "config": config.__dict__,
        "seconds": round(time.perf_counter() - started, 1),
        "figures": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    info = result["machine"]
    print(f"{info['cpu']}, {info['cores']} cores, Python {info['python']}  ({result['mode']} run)")
    print()
    print(table(rows))
    print()
    print(f"written to {args.json} in {result['seconds']} s")
    if args.update_readme:
        if args.smoke or args.only:
            parser.error("--update-readme needs a full run (no --smoke, no --only)")
        update_readme(result)
        print(f"table written to {README}")
    return 0


README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def update_readme(result: dict[str, Any]) -> None:
    """Replace the text between the results markers of benchmarks/README.md."""
    info = result["machine"]
    block = "\n".join(
        [
            START,
            f"Run on {time.strftime('%Y-%m-%d')}: {info['cpu']}, {info['cores']} cores, "
            f"Python {info['python']} ({info['implementation']}), httpx2 {info['httpx2']}, "
            f"{info['platform']}; {result['seconds']} s.",
            "",
            table(result["figures"]),
            END,
        ]
    )
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    README.write_text(head + block + tail, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
