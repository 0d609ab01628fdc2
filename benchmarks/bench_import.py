"""Import figures: `from users_sdk import UsersClient` against `import httpx2`,
and import plus a first get() against the same with raw httpx2, each in fresh
interpreters. (`import users_sdk` alone loads no client: each name loads on
first access, so the import a user writes to get a client is the one timed.)

Every measurement is a fresh `python -c` that times its own statements with
perf_counter, so interpreter start-up is not in the figure. All five snippets
(`pass`, the two imports, the two first calls) are interleaved in the same
rotated rounds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from common import TOKEN, USER_ID
from harness import Config, figure, interleaved, median, ms, paired_ratio, spread, wall

SNIPPET = (
    "{before}; import time; t0 = time.perf_counter(); {statement}; "
    "print(time.perf_counter() - t0); {after}"
)


def snippets(base_url: str) -> dict[str, tuple[str, ...]]:
    """name: (the statements timed, what runs after the clock stops[, what runs
    before the clock starts])."""
    # The first call makes everything lazy happen: the SDK loads its models
    # (and attrs, dateutil) and the generated client on first use, and both
    # sides open their connection to the canned server.
    first_sdk = (
        "import users_sdk; "
        f"c = users_sdk.UsersClient(base_url={base_url!r}, token={TOKEN!r}); "
        f"c.users.get({USER_ID!r})"
    )
    first_raw = (
        "import json, httpx2; "
        f"c = httpx2.Client(headers={{'Authorization': 'Bearer {TOKEN}'}}); "
        f"json.loads(c.get({base_url + '/v1/users/' + USER_ID!r}).content)"
    )
    return {
        # The pytest plugin: what every pytest run of a venv with users-sdk[testing]
        # pays, pytest itself already imported (as it is when plugins load).
        "pytest": ("pass", "pass", "import pytest"),
        "plugin": ("import users_sdk.testing", "pass", "import pytest"),
        "recording_plugin": ("import pytest_recording.plugin", "pass", "import pytest"),
        "startup": ("pass", "pass"),
        "httpx2": ("import httpx2", "pass"),
        "users_sdk": ("from users_sdk import UsersClient", "pass"),
        "first_call_sdk": (first_sdk, "c.close()"),
        "first_call_raw": (first_raw, "c.close()"),
    }


def bench_import(config: Config, base_url: str) -> list[dict[str, Any]]:
    """The import rows; `base_url` is the canned server's fast port."""
    statements = snippets(base_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    inside: dict[str, list[float]] = {name: [] for name in statements}

    def runner(name: str) -> Callable[[], None]:
        statement, after, *before = statements[name]
        code = SNIPPET.format(
            statement=statement, after=after, before=before[0] if before else "pass"
        )
        argv = [sys.executable, "-c", code]

        def run() -> None:
            result = subprocess.run(argv, capture_output=True, text=True, check=True, env=env)
            inside[name].append(float(result.stdout))

        return run

    variants = {name: runner(name) for name in statements}
    for name, run in variants.items():  # warm the bytecode caches and the OS file cache
        run()
        inside[name].clear()
    # Whole-process wall times (interpreter start-up included) for the cross-check.
    total = {name: wall(runs) for name, runs in interleaved(variants, config.import_rounds).items()}

    startup = median(total["startup"])
    plugin_ms = [a - b for a, b in zip(inside["plugin"], inside["pytest"], strict=True)]
    subtracted = (median(total["users_sdk"]) - startup) / (median(total["httpx2"]) - startup)
    return [
        figure(
            id="import_time",
            title="`from users_sdk import UsersClient` in a fresh interpreter",
            candidate="from users_sdk import UsersClient",
            baseline="import httpx2",
            measure="import time inside a fresh interpreter (startup excluded)",
            value=paired_ratio(inside["users_sdk"], inside["httpx2"]),
            target=("<=", 1.25),
            rounds=config.import_rounds,
            candidate_median_ms=ms(median(inside["users_sdk"])),
            baseline_median_ms=ms(median(inside["httpx2"])),
            interpreter_startup_ms=ms(startup),
            ratio_whole_process_minus_startup=round(subtracted, 4),
            round_ratio_iqr=spread(inside["users_sdk"], inside["httpx2"]),
        ),
        figure(
            id="import_first_call",
            title="import plus a first get() in a fresh interpreter (canned server)",
            candidate="import users_sdk, UsersClient(...), one users.get()",
            baseline="import httpx2, httpx2.Client(...), one client.get() + json.loads",
            measure="wall time inside a fresh interpreter (startup excluded)",
            value=paired_ratio(inside["first_call_sdk"], inside["first_call_raw"]),
            target=("<=", 1.3),
            rounds=config.import_rounds,
            candidate_median_ms=ms(median(inside["first_call_sdk"])),
            baseline_median_ms=ms(median(inside["first_call_raw"])),
            round_ratio_iqr=spread(inside["first_call_sdk"], inside["first_call_raw"]),
        ),
        figure(
            id="plugin_import",
            title="the pytest plugin's import (every pytest run of a venv with [testing])",
            candidate="import users_sdk.testing, pytest already imported",
            baseline="import pytest, then an empty timed statement (subtracted)",
            measure="import time inside a fresh interpreter, in ms",
            value=ms(median(plugin_ms)),
            unit="ms",
            target=("<", 20.0),
            rounds=config.import_rounds,
        ),
        figure(
            id="plugin_import_vs_recording",
            title="the pytest plugin's import against pytest-recording's own",
            candidate="import users_sdk.testing",
            baseline="import pytest_recording.plugin",
            measure="import time inside a fresh interpreter, pytest already imported",
            value=paired_ratio(inside["plugin"], inside["recording_plugin"]),
            target=None,
            rounds=config.import_rounds,
            candidate_median_ms=ms(median(inside["plugin"])),
            baseline_median_ms=ms(median(inside["recording_plugin"])),
        ),
    ]
