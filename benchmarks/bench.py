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
  users_server.run_server in a child process, for the end-to-end
  figures; skipped with the reason when it cannot be imported.

Modules: harness.py measures and reports; bench_import, bench_get,
bench_pagination, bench_async, bench_parse, bench_ahead, bench_e2e, bench_bulk and
bench_cassettes each make one group of figures; common.py holds what several
groups share. This file is the command line.

Prints a Markdown table and writes every figure to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ahead import bench_ahead_parse, bench_ahead_walk  # noqa: E402
from bench_async import bench_async  # noqa: E402
from bench_bulk import bench_bulk  # noqa: E402
from bench_cassettes import bench_cassettes  # noqa: E402
from bench_e2e import bench_end_to_end  # noqa: E402
from bench_get import bench_get  # noqa: E402
from bench_import import bench_import  # noqa: E402
from bench_pagination import bench_pagination  # noqa: E402
from bench_parse import bench_parse  # noqa: E402
from canned_server import start_canned_server  # noqa: E402
from harness import (  # noqa: E402
    FULL,
    README,
    SMOKE,
    results,
    table,
    update_readme,
    write_results,
)

GROUPS = ("import", "get", "pagination", "async", "parse", "ahead", "e2e", "bulk", "cassettes")

# Every figure the JSON holds, in table order (the smoke test checks them all).
FIGURE_IDS = (
    "import_time",
    "import_first_call",
    "plugin_import",
    "plugin_import_vs_recording",
    "get_vs_httpx",
    "get_vs_generated",
    "get_with_otel_noop",
    "get_vs_requests",
    "pagination_time",
    "pagination_time_models",
    "pagination_time_no_models",
    "pagination_memory",
    "async_concurrency",
    "async_concurrency_raw_httpx",
    "async_cpu_per_request",
    "parse_page",
    "parse_page_generated",
    "parse_page_floor",
    "parse_page_pydantic",
    "parse_page_msgspec",
    "parse_page_orjson",
    "parse_page_vs_pydantic",
    "ahead_parse_field",
    "ahead_parse_value",
    "ahead_walk_vs_raw",
    "ahead_walk_vs_pydantic",
    "e2e_get",
    "e2e_list",
    "e2e_load",
    "bulk_import",
    "bulk_export_memory",
    "cassette_check_overhead",
    "cassette_check_share",
)


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
        help="comma-separated groups to run: " + ",".join(GROUPS),
    )
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="write the table and the machine into benchmarks/README.md (full runs only)",
    )
    args = parser.parse_args(argv)
    # Every figure is for users_sdk as installed without the [otel] extra (this venv
    # has opentelemetry for the tests): the row get_with_otel_noop times it with.
    os.environ["USERS_SDK_TRACING"] = "off"
    config = SMOKE if args.smoke else FULL
    if args.json is None:
        partial = args.smoke or args.only
        args.json = (
            HERE.parent / "build" / "bench-partial.json" if partial else HERE / "results.json"
        )
    groups = set((args.only or ",".join(GROUPS)).split(","))
    started = time.perf_counter()

    rows: list[dict[str, Any]] = []
    # The canned server is started once for every group that talks to it.
    if groups & {"import", "get", "pagination", "async", "ahead"}:
        with start_canned_server() as server:
            if "import" in groups:
                rows.extend(bench_import(config, server["fast"]))
            if "get" in groups:
                rows.extend(bench_get(config, server["fast"]))
            if "pagination" in groups:
                rows.extend(bench_pagination(config, server["fast"]))
            if "async" in groups:
                rows.extend(bench_async(config, server))
            if "ahead" in groups:
                rows.extend(bench_ahead_walk(config, server["fast"]))
    if "parse" in groups:
        rows.extend(bench_parse(config))
    if "ahead" in groups:
        rows.extend(bench_ahead_parse(config))
    if "e2e" in groups:
        rows.extend(bench_end_to_end(config))
    if "bulk" in groups:
        rows.extend(bench_bulk(config))
    if "cassettes" in groups:
        rows.extend(bench_cassettes(config))
    rows.sort(key=lambda row: FIGURE_IDS.index(row["id"]))

    result = results(
        mode="smoke" if args.smoke else "full",
        config=config,
        seconds=time.perf_counter() - started,
        rows=rows,
    )
    write_results(args.json, result)
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


if __name__ == "__main__":
    raise SystemExit(main())
