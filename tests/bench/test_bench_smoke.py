"""`benchmarks/bench.py --smoke` runs to the end and writes every figure.

No timing is asserted: CI machines are too noisy for that, and the smoke rounds
are far too small to mean anything. This only keeps the script working.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "bench.py"


# Every figure of the issue, and the reference rows beside them, in table
# order, with its target (None: a report row, which has no verdict).
FIGURES: dict[str, str | None] = {
    "import_time": "<= 1.25",
    "import_first_call": "<= 1.3",
    "plugin_import": "< 20",
    "plugin_import_vs_recording": None,
    "get_vs_httpx": "<= 1.1",
    "get_vs_generated": "<= 1.05",
    "get_with_otel_noop": None,
    "get_vs_requests": "< 1",
    "pagination_time": "<= 1",
    "pagination_time_models": None,
    "pagination_time_no_models": None,
    "pagination_memory": "< 5",
    "async_concurrency": ">= 4",
    "async_concurrency_raw_httpx": None,
    "async_cpu_per_request": "<= 1.15",
    "parse_page": "<= 1",
    "parse_page_generated": None,
    "parse_page_floor": None,
    "parse_page_pydantic": None,
    "parse_page_msgspec": None,
    "parse_page_orjson": None,
    "parse_page_vs_pydantic": "<= 0.7",
    "ahead_parse_field": "<= 0.75",
    "ahead_parse_value": "<= 0.75",
    "ahead_walk_vs_raw": "<= 1",
    "ahead_walk_vs_pydantic": "<= 0.85",
    "e2e_get": None,
    "e2e_list": None,
    "e2e_load": None,
    "bulk_import": None,
    "bulk_export_memory": None,
    "cassette_check_overhead": "< 1.1",
    "cassette_check_share": "< 0.1",
}
PEER_ROWS = {
    "parse_page_pydantic": "pydantic",
    "parse_page_msgspec": "msgspec",
    "parse_page_orjson": "orjson",
    "parse_page_vs_pydantic": "pydantic",
    "ahead_walk_vs_pydantic": "pydantic",
}


def run_bench(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    output = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--json", str(output), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "| figure |" in completed.stdout
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return result


def test_the_smoke_run_completes_and_writes_every_figure(tmp_path: Path) -> None:
    result = run_bench(tmp_path)
    assert result["mode"] == "smoke"
    assert {"cpu", "cores", "python"} <= set(result["machine"])

    figures = {row["id"]: row for row in result["figures"]}
    assert list(figures) == list(FIGURES)
    for figure_id, row in figures.items():
        assert {"figure", "baseline", "status", "value", "target", "met"} <= set(row), figure_id
        assert row["target"] == FIGURES[figure_id], figure_id
        if row["status"] == "skipped":
            assert row["reason"], figure_id
            assert row["met"] is None, figure_id
            continue
        assert row["status"] == "ok", figure_id
        assert isinstance(row["value"], float), figure_id
        assert math.isfinite(row["value"]), figure_id
        assert row["value"] > 0, figure_id
        if row["target"] is None:
            assert row["met"] is None, figure_id  # a report row
        else:
            assert row["met"] in (True, False), figure_id


def test_a_peer_library_that_cannot_be_imported_gives_skipped_rows(tmp_path: Path) -> None:
    shadows = tmp_path / "shadows"
    shadows.mkdir()
    for name in set(PEER_ROWS.values()):
        (shadows / f"{name}.py").write_text(f"raise ImportError('no {name} here')\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(shadows), os.environ.get("PYTHONPATH")])),
    }
    result = run_bench(tmp_path, "--only", "parse,ahead", env=env)

    figures = {row["id"]: row for row in result["figures"]}
    assert list(figures) == [name for name in FIGURES if name.startswith(("parse_", "ahead_"))]
    for figure_id, library in PEER_ROWS.items():
        row = figures[figure_id]
        assert row["status"] == "skipped", figure_id
        assert f"no {library} here" in row["reason"], figure_id
        assert row["value"] is None, figure_id
        assert row["target"] == FIGURES[figure_id], figure_id
    for figure_id in ("parse_page", "parse_page_generated", "parse_page_floor"):
        assert figures[figure_id]["status"] == "ok", figure_id


def test_figure_takes_keyword_arguments_only() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import harness
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    with pytest.raises(TypeError):
        harness.figure("x", "title", "candidate", "baseline", "measure", 1.0, None)
    row = harness.figure(
        id="x",
        title="t",
        candidate="c",
        baseline="b",
        measure="m",
        value=1.23456,
        target=("<=", 1.2),
        rounds=3,
    )
    assert (row["value"], row["target"], row["met"], row["rounds"]) == (1.2346, "<= 1.2", False, 3)
