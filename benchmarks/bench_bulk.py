"""Bulk figures against the reference server (FastAPI + SQLite, in a child
process): `bulk.import_users` with its default concurrency against a
one-by-one loop of `client.users.create` in the same run, as rows per second;
and the peak memory of `bulk.export_users` walking every imported user.

Where the time goes is recorded beside the import figure: the client's CPU
time and the server process's (read from /proc on Linux), each as a share of
the wall time. A share near 1.0 is the side that is saturated.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

from harness import FULL, MB, Config, figure, interleaved, skipped, wall
from reference_server import OWNER_TOKEN, ReferenceServerMissing, start_reference_server

from users_sdk import UsersClient, bulk

# Rows per variant, over this many interleaved rounds (full run / smoke run).
FULL_ROWS, FULL_ROUNDS = 10_000, 2
SMOKE_ROWS, SMOKE_ROUNDS = 200, 1
ONE_BY_ONE = "a loop of client.users.create(), one row at a time"


def _server_cpu_seconds() -> float | None:
    """CPU time of the reference server child process so far (Linux only)."""
    me = str(os.getpid())
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if fields[1] == me and b"reference_server.py" in cmdline:
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return None


class _Rows:
    """Fresh rows for each run: an import never meets an email it sent before."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.sent = 0

    def take(self, count: int) -> list[dict[str, str]]:
        start, self.sent = self.sent, self.sent + count
        numbers = range(start, self.sent)
        return [{"email": f"u{n}@{self.domain}", "display_name": f"User {n}"} for n in numbers]


def bench_bulk(config: Config) -> list[dict[str, Any]]:
    full = config == FULL
    rows, rounds = (FULL_ROWS, FULL_ROUNDS) if full else (SMOKE_ROWS, SMOKE_ROUNDS)
    per_round = rows // rounds
    import_title = f"importing {rows:,} rows (reference server)"
    export_title = f"peak memory growth while exporting {rows:,} users"
    try:
        with start_reference_server() as base_url:
            client = UsersClient(base_url=base_url, token=OWNER_TOKEN)
            tag = uuid.uuid4().hex[:8]
            one_by_one_rows, bulk_rows = _Rows(f"seq-{tag}.example"), _Rows(f"bulk-{tag}.example")
            cpu: dict[str, list[tuple[float, float | None]]] = {"one_by_one": [], "bulk": []}

            def one_by_one() -> None:
                for row in one_by_one_rows.take(per_round):
                    client.users.create(row)

            def concurrent() -> None:
                summary = bulk.import_users(
                    client, iter(bulk_rows.take(per_round)), import_id=f"bench-{tag}"
                )
                if summary.created != per_round:
                    raise AssertionError(f"{summary!r}: {summary.failures[:3]}")

            def measured(name: str, run: Any) -> Any:
                def wrapped() -> None:
                    client0, server0 = time.process_time(), _server_cpu_seconds()
                    run()
                    server1 = _server_cpu_seconds()
                    server = None if server0 is None or server1 is None else server1 - server0
                    cpu[name].append((time.process_time() - client0, server))

                return wrapped

            samples = interleaved(
                {"one_by_one": measured("one_by_one", one_by_one),
                 "bulk": measured("bulk", concurrent)},
                rounds,
            )  # fmt: skip
            export_mb, listed_mb = _export_memory(client, bulk_rows.domain, rows)
            client.close()
    except ReferenceServerMissing as missing:
        reason = f"skipped: {missing}"
        print(reason, file=sys.stderr)
        return [
            skipped(id="bulk_import", title=import_title, baseline=ONE_BY_ONE, reason=reason),
            skipped(id="bulk_export_memory", title=export_title, baseline="", reason=reason),
        ]
    bulk_seconds, sequential_seconds = sum(wall(samples["bulk"])), sum(wall(samples["one_by_one"]))
    return [
        figure(
            id="bulk_import",
            title=import_title,
            candidate=f"bulk.import_users (concurrency {bulk.DEFAULT_CONCURRENCY}, the default)",
            baseline=ONE_BY_ONE,
            measure="speed-up: rows per second of the candidate / of the baseline",
            value=sequential_seconds / bulk_seconds,
            target=None,
            unit="x speed-up",
            candidate_rows_per_second=round(rows / bulk_seconds),
            baseline_rows_per_second=round(rows / sequential_seconds),
            rows=rows,
            rounds=rounds,
            **_shares("candidate", cpu["bulk"], bulk_seconds),
            **_shares("baseline", cpu["one_by_one"], sequential_seconds),
        ),
        figure(
            id="bulk_export_memory",
            title=export_title,
            candidate="for user in bulk.export_users(client, email_domain=...)",
            baseline="(absolute; list(client.users.list(...)) of the same users for reference)",
            measure="tracemalloc peak minus memory at start",
            value=export_mb,
            target=None,
            unit="MB",
            materialised_list_mb=round(listed_mb, 3),
            users=rows,
        ),
    ]


def _shares(side: str, cpu: list[tuple[float, float | None]], seconds: float) -> dict[str, Any]:
    """The client's and the server's CPU time as shares of the wall time."""
    client = sum(c for c, _ in cpu)
    servers = [s for _, s in cpu]
    server = None if None in servers else sum(s for s in servers if s is not None)
    return {
        f"{side}_client_cpu_share": round(client / seconds, 3),
        f"{side}_server_cpu_share": None if server is None else round(server / seconds, 3),
    }


def _export_memory(client: UsersClient, domain: str, expected: int) -> tuple[float, float]:
    """Peak memory growth (MB) of exporting every user of `domain`, and of
    materialising the same users in a list."""

    def export() -> None:
        count = sum(1 for _ in bulk.export_users(client, email_domain=domain))
        if count != expected:
            raise AssertionError(f"exported {count} of {expected} users")

    def materialise() -> None:
        users = list(client.users.list(email_domain=domain, limit=100))
        if len(users) != expected:
            raise AssertionError(f"listed {len(users)} of {expected} users")

    peaks = []
    for run in (export, materialise):
        run()  # warm: first-use imports and caches are not the walk's memory
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        run()
        peaks.append((tracemalloc.get_traced_memory()[1] - start) / MB)
        tracemalloc.stop()
    return peaks[0], peaks[1]
