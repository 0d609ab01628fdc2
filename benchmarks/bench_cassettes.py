"""The spec check's cost: a replayed suite with users_sdk.testing's check on, against
the same suite with it off (`-o users_sdk_cassette_check=off`), in the same run.

The suite is this project's own record/replay tests (tests/integration: users,
listing and the examples, every one with a cassette), replayed offline by
pytest in a fresh interpreter per run. The figure is the ratio of
pytest's own session time ("passed in ..."), which leaves out interpreter
start-up and so is the stricter of the two; the wall-clock ratio of the
whole command is reported beside it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from harness import Config, figure, median, ms, paired_ratio, rotated, spread

from users_sdk.testing import _cassette_check

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("tests/integration/test_users.py", "tests/integration/test_listing.py",
         "tests/integration/test_examples.py")  # fmt: skip
_SESSION_TIME = re.compile(r"passed(?:, [^\n]*?)? in ([0-9.]+)s")


def _replay(check: str) -> tuple[float, float, int]:
    """(pytest's session seconds, wall seconds, tests passed) of one replayed run."""
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--record-mode=none",
            "--block-network", "-o", f"users_sdk_cassette_check={check}", *SUITE]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("USERS_API_")}
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall_seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"the replayed suite failed (check={check}):\n{result.stdout[-2000:]}")
    session = _SESSION_TIME.search(result.stdout)
    passed = re.search(r"(\d+) passed", result.stdout)
    if session is None or passed is None:
        raise RuntimeError(f"no pytest summary in:\n{result.stdout[-2000:]}")
    return float(session.group(1)), wall_seconds, int(passed.group(1))


def _check_alone() -> tuple[float, int]:
    """(seconds, interactions): the check's work for the suite, from a cold start."""
    exchanges = []
    for module in SUITE:
        folder = ROOT / "cassettes" / Path(module).stem
        for path in sorted(folder.glob("*.yaml")):
            interactions = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
            exchanges.append((path.name, [
                (index, _cassette_check.exchange_from_file(interaction))
                for index, interaction in enumerate(interactions, start=1)
            ]))  # fmt: skip
    started = time.perf_counter()
    _cassette_check.contract()  # the spec read and compiled: once per session
    for name, pairs in exchanges:
        _cassette_check.mismatches(name, pairs, ("/_test/",))
    return time.perf_counter() - started, sum(len(pairs) for _, pairs in exchanges)


def bench_cassettes(config: Config) -> list[dict[str, Any]]:
    session: dict[str, list[float]] = {"off": [], "error": []}
    whole: dict[str, list[float]] = {"off": [], "error": []}
    tests = 0
    if config.cassette_rounds > 1:
        _replay("off")  # warm the file cache and the bytecode
    for check in rotated(["off", "error"], config.cassette_rounds):
        seconds, wall_seconds, tests = _replay(check)
        session[check].append(seconds)
        whole[check].append(wall_seconds)
    alone, interactions = _check_alone()
    return [
        figure(
            id="cassette_check_overhead",
            title=f"replayed suite ({tests} tests) with the spec check, vs without",
            candidate="users_sdk_cassette_check=error (the default)",
            baseline="users_sdk_cassette_check=off",
            measure="pytest session time",
            value=paired_ratio(session["error"], session["off"]),
            target=("<", 1.10),
            spread=spread(session["error"], session["off"]),
            candidate_ms=ms(median(session["error"])),
            baseline_ms=ms(median(session["off"])),
            wall_ratio=round(paired_ratio(whole["error"], whole["off"]), 4),
            rounds=config.cassette_rounds,
        ),
        figure(
            id="cassette_check_share",
            title=f"the check alone ({interactions} interactions, cold), share of that suite",
            candidate="spec read + compiled + every interaction checked",
            baseline="the suite's session time, check off",
            measure="wall time",
            value=alone / median(session["off"]),
            target=("<", 0.10),
            candidate_ms=ms(alone),
            baseline_ms=ms(median(session["off"])),
        ),
    ]
