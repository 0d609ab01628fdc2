"""The measuring and reporting half of the benchmarks; the figure groups
(bench_*.py) only say what to run and how to label it.

- Config: the rounds and sizes of a full run and of a smoke run.
- interleaved(): every variant once a round, in an order rotated each round
  (baseline, candidate, ...; candidate, ..., baseline), so that a machine that
  speeds up or slows down during the run moves both sides alike; each run is
  sampled for client CPU time (time.process_time) and wall time.
- paired_ratio() and spread(): the median and the interquartile range of the
  per-round ratios candidate/baseline.
- figure() and skipped(): one row of results.json (keyword arguments only, so
  that a candidate and its baseline cannot be swapped by position).
- table(), write_results(), update_readme(): the Markdown table, results.json
  and the table between the results markers of benchmarks/README.md.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import requests
from canned_server import PAGES

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
MB = 1024 * 1024


# ---- rounds -------------------------------------------------------------------------


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
    load_users: int  # created, updated and read by 64 clients at once
    cassette_rounds: int  # replays of the cassette suite, check on and off, each


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
    load_users=2000,
    cassette_rounds=9,
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
    load_users=128,
    cassette_rounds=1,
)


# ---- measuring ----------------------------------------------------------------------


@dataclass
class Sample:
    cpu: float
    wall: float


def rotated(names: Sequence[str], rounds: int) -> Iterator[str]:
    """Each name once a round, the order rotated by one each round."""
    names = list(names)
    for round_number in range(rounds):
        shift = round_number % len(names)
        yield from names[shift:] + names[:shift]


def interleaved(
    variants: dict[str, Callable[[], Any]], rounds: int, per: int = 1
) -> dict[str, list[Sample]]:
    """Run each variant once a round, rotating the order; times divided by `per`."""
    samples: dict[str, list[Sample]] = {name: [] for name in variants}
    for name in rotated(list(variants), rounds):
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


def us(seconds: float) -> float:
    return round(seconds * 1e6, 2)


def ms(seconds: float) -> float:
    return round(seconds * 1e3, 2)


def median(values: list[float]) -> float:
    return statistics.median(values)


# ---- rows ---------------------------------------------------------------------------

Target = tuple[str, float]


def met(value: float | None, target: Target | None) -> bool | None:
    if value is None or target is None:
        return None
    op, bound = target
    return {"<=": value <= bound, "<": value < bound, ">=": value >= bound}[op]


def _target_text(target: Target | None) -> str | None:
    return None if target is None else f"{target[0]} {target[1]:g}"


def figure(
    *,
    id: str,
    title: str,
    candidate: str,
    baseline: str,
    measure: str,
    value: float | None,
    target: Target | None,
    unit: str = "x",
    **extra: Any,
) -> dict[str, Any]:
    """One measured row; `target` None makes it a report row (no verdict)."""
    return {
        "id": id,
        "figure": title,
        "candidate": candidate,
        "baseline": baseline,
        "measure": measure,
        "value": None if value is None else round(value, 4),
        "unit": unit,
        "target": _target_text(target),
        "met": met(value, target),
        "status": "ok",
        **extra,
    }


def skipped(
    *,
    id: str,
    title: str,
    baseline: str,
    reason: str,
    candidate: str = "",
    target: Target | None = None,
) -> dict[str, Any]:
    """A row that could not be measured in this run (a server or library missing)."""
    return {
        "id": id,
        "figure": title,
        "candidate": candidate,
        "baseline": baseline,
        "measure": "",
        "value": None,
        "unit": "x",
        "target": _target_text(target),
        "met": None,
        "status": "skipped",
        "reason": reason,
    }


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
    if row["unit"] in ("MB", "ms"):
        return f"{value:.2f} {row['unit']}"
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


def results(
    *, mode: str, config: Config, seconds: float, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """The whole of results.json."""
    return {
        "mode": mode,
        "machine": machine(),
        "config": config.__dict__,
        "seconds": round(seconds, 1),
        "figures": rows,
    }


def write_results(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def update_readme(result: dict[str, Any], readme: Path = README) -> None:
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
    text = readme.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(head + block + tail, encoding="utf-8")
