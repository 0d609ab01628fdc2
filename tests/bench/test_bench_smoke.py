"""`benchmarks/bench.py --smoke` runs to the end and writes every figure.

No timing is asserted: CI machines are too noisy for that, and the smoke rounds
are far too small to mean anything. This only keeps the script working.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "bench.py"


# Every figure of the issue, and the reference rows beside them.
FIGURE_IDS = [
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
]


def test_the_smoke_run_completes_and_writes_every_figure(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--json", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "| figure |" in completed.stdout

    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    assert result["mode"] == "smoke"
    assert {"cpu", "cores", "python"} <= set(result["machine"])

    figures = {row["id"]: row for row in result["figures"]}
    assert list(figures) == FIGURE_IDS
    for figure_id, row in figures.items():
        assert {"figure", "baseline", "status", "value", "target", "met"} <= set(row), figure_id
        if row["status"] == "skipped":
            assert row["reason"], figure_id
            continue
        assert row["status"] == "ok", figure_id
        assert isinstance(row["value"], float), figure_id
        assert math.isfinite(row["value"]), figure_id
        assert row["value"] > 0, figure_id
        assert row["met"] in (True, False, None), figure_id
