"""Rehearse a spec change: apply an overlay to a copy of the project, regenerate
there with the pinned generator (`make generate`, nothing else), run the whole
test suite there, and compare the parsing and pagination benchmarks of the
two trees in one run.

    python scripts/spec_rehearsal.py tests/spec_evolution/additive.overlay.yaml

Nothing in this checkout changes. The report says, for each check, whether it
passed and what it printed; tests/spec_evolution/ asserts on it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from overlay import apply  # noqa: E402

_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".venv-*", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    "build", "dist", "*.egg-info", ".generated.*",
)  # fmt: skip

# Everything but the rehearsal itself (which would rehearse again, in the copy):
# what this script runs for a change of any kind.
WHOLE_SUITE = ["tests", "--ignore=tests/spec_evolution"]
# What an additive change (optional fields, enum values, a filter: the kind of
# tests/spec_evolution/additive.overlay.yaml) cannot reach, with the reason: the
# whole suite but these runs on its copy (ADDITIVE_SUITE). Each tests code that
# neither openapi.yaml nor generated/ feeds, and which the main suite runs as it
# is, or is run on the copy by another test. A path is left out whole, a
# path::test by node id. What is left runs every test of the code the
# regeneration rewrites or that reads the spec (the facade over the generated
# package, its parsing paths, the guards, the replays and their conformance,
# the server, the CLI's spec options, the bulk columns, the plugin's check of
# recordings against the spec, the generator); the mechanisms below, whose
# outcome no field, enum value or filter decides, run once, in the main suite.
# Left out, the copy's run is about 40% shorter (issue 27: CI in 20 minutes).
NOT_REACHED_BY_AN_ADDITIVE_CHANGE: dict[str, str] = {
    "tests/test_packaging.py": (
        "which files the wheel ships is pyproject's package paths, not the spec's content: "
        "an additive change edits files that already ship and adds none; the bundled "
        "server and cassette check it installs run on the copy's own tree in "
        "test_testing_plugin.py and test_cassettes_stay_honest.py"
    ),
    "tests/bench/test_bench_smoke.py": (
        "keeps benchmarks/bench.py running; its groups that time what a spec change "
        "regenerates (parse, pagination) run on the copy in "
        "test_parsing_and_pagination_are_as_fast_after_the_change, and the calls the "
        "other groups time are the ones the unit tests and replays make on the copy"
    ),
    "tests/testing_plugin/test_good_neighbour.py": (
        "another API's pytest-recording suite beside the plugin: its cassettes hold no "
        "Users API interaction, so nothing the spec says reaches them"
    ),
    "tests/reliability/test_load.py": (
        "throughput of 64 clients over the transport and the pool (facade/_client.py, "
        "httpx2), which the regeneration does not touch; the operations it calls are "
        "checked on the copy by the guards' contract test and the replays"
    ),
    "tests/reliability/test_fault_injection.py": (
        "retries, timeouts and idempotency keys under injected faults (facade/_retries.py, "
        "_client.py): no operation, method or retry rule changes in an additive change"
    ),
    "tests/reliability/test_connection_pool.py": (
        "httpx2's pool on real sockets against its own loopback server: nothing generated"
    ),
    "tests/integration/test_cassettes.py::test_a_failed_recording_leaves_the_cassettes_as_they_were": (  # noqa: E501
        "scripts/record.py's all-or-nothing swap of cassettes/, file handling only; the "
        "recording itself runs on the copy (test_recording_again_gives_the_committed_bytes)"
    ),
    "tests/integration/test_cassettes.py::test_a_recording_stopped_between_its_renames_gets_the_old_cassettes_back": (  # noqa: E501
        "the same swap, resumed after a kill: file handling only"
    ),
    "tests/integration/test_cassettes.py::test_every_cassette_file_belongs_to_a_test": (
        "compares cassette file names with the test ids pytest collects: names of tests, "
        "which no spec change renames"
    ),
    "tests/integration/test_cassettes.py::test_a_deleted_interaction_makes_its_test_fail": (
        "VCR's matching of requests to an edited copy of one cassette: the replay "
        "mechanism; every cassette replays on the copy and is checked against its spec"
    ),
    "tests/integration/test_cassettes.py::test_an_interaction_the_test_no_longer_makes_fails_it": (
        "the unplayed-interaction check on an edited copy of one cassette: the replay mechanism"
    ),
    "tests/integration/test_cassettes.py::test_the_unchanged_cassettes_replay_green": (
        "the control of the two edited-cassette tests above, left out with them"
    ),
    "tests/testing_plugin/test_daily_workflow.py": (
        "the plugin's record modes, parallel workers and pytest-asyncio fixtures: which "
        "cassettes are kept, rewritten or copied, not what they hold; recordings of the "
        "evolved server checked against the evolved spec run on the copy in "
        "test_cassettes_stay_honest.py"
    ),
    "tests/testing_plugin/test_scrub_settings.py": (
        "which values the scrubber replaces: credentials and the fixed password field names "
        "of its own rules, none of which an additive change adds"
    ),
    "tests/test_testing_plugin.py": (
        "the plugin's fixtures, its refusal to replay without a cassette and its absence "
        "without pytest-recording: plumbing; its recordings against the spec-driven server "
        "run on the copy in test_cassettes_stay_honest.py"
    ),
    "tests/test_cassettes_stay_honest.py::test_the_check_can_be_switched_per_test": (
        "the check's on/off switch, by mark and ini: the switch, not the spec"
    ),
    "tests/test_cassettes_stay_honest.py::test_the_report_lists_unused_and_stale_cassettes_and_their_versions": (  # noqa: E501
        "the report's bookkeeping of cassettes used and unused; the stale check it counts "
        "runs on the copy"
    ),
    "tests/test_cassettes_stay_honest.py::test_a_module_can_share_one_database": (
        "the server fixture's database scope: one module, one database"
    ),
    "tests/cli/test_bulk.py": (
        "users import/export as processes killed, interrupted and resumed under 429s: "
        "checkpoints and exit codes; the columns, in the spec's order, run on the copy in "
        "tests/bulk/test_export.py, the spec's options of the CLI in test_spec_options.py"
    ),
    "tests/cli/test_import_export_edges.py": (
        "exit codes and lost-data edges of the import and export commands: file and "
        "process handling that no field, enum value or filter changes"
    ),
    "tests/reliability/test_secrets.py": (
        "the token and the API key kept out of reprs, messages, logs and cassettes: "
        "credentials, which are no part of the spec's schemas"
    ),
    "tests/reliability/test_token_rotation.py": (
        "credential providers rotating and revoked under load (facade/_credentials.py): "
        "no schema is involved"
    ),
    "tests/reliability/test_idempotency_keys.py": (
        "a caller's Idempotency-Key replayed and reused: the header and the server's key "
        "store, the same for any body"
    ),
    "tests/reliability/test_concurrency.py": (
        "If-Match races on one user's version: the precondition and the version counter, "
        "not the fields updated"
    ),
    "tests/reliability/test_tracing_spans.py": (
        "one span per call and attempt, named for its operation: an additive change adds "
        "no operation and no attribute"
    ),
    "tests/test_overlay.py": (
        "scripts/overlay.py on the test's own small documents, never on openapi.yaml"
    ),
    "tests/server/test_schemathesis.py::test_battery": (
        "the schemathesis command re-running test_conformance's checks with the stateful "
        "phase, which follows the spec's links, and an additive change adds none; "
        "test_conformance runs every operation of the evolved spec on the copy"
    ),
    "tests/server/test_unimplemented.py::test_the_battery_on_a_spec_ahead_of_the_server": (
        "the conformance runs on a spec with new operations: an additive change adds "
        "none, and test_new_operations_become_methods_of_both_clients runs this file "
        "whole on a copy that does"
    ),
}
ADDITIVE_SUITE = WHOLE_SUITE + [
    f"--deselect={target}" if "::" in target else f"--ignore={target}"
    for target in NOT_REACHED_BY_AN_ADDITIVE_CHANGE
]
# What "the facade's unit tests and the cassette replays" means here.
FACADE_SUITES = [
    "tests/unit",
    "tests/integration/test_users.py",
    "tests/integration/test_listing.py",
    "tests/integration/test_examples.py",
    "tests/integration/test_cassettes.py::test_every_interaction_conforms_to_openapi",
]
# Every guard: the public API, the spec surface, the contract test of every
# operation (sync and async), the sync/async twins, the overrides.
GUARDS = ["tests/guards"]
# The reference server with a spec ahead of it: 501s naming what it lacks, and
# the conformance battery leaving exactly those out.
SERVER_AHEAD = ["tests/server/test_unimplemented.py"]
# The benchmark rows a spec change must not slow down, and the run that makes them.
SPEED_FIGURES = ("parse_page", "pagination_time")
SPEED_GROUPS = "parse,pagination"


@dataclass
class Check:
    name: str
    passed: bool
    output: str


def prepare(overlay_path: Path, workdir: Path) -> Path:
    """A copy of the project with the overlay applied and generated/ regenerated."""
    project = workdir / "project"
    shutil.copytree(ROOT, project, ignore=_NOT_COPIED)
    spec = yaml.safe_load((project / "openapi.yaml").read_text(encoding="utf-8"))
    overlay = yaml.safe_load(overlay_path.read_text(encoding="utf-8"))
    evolved = apply(spec, overlay)
    (project / "openapi.yaml").write_text(
        yaml.safe_dump(evolved, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(project / "scripts" / "generate.py")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"regeneration failed:\n{result.stdout}{result.stderr}")
    return project


def environment(project: Path) -> dict[str, str]:
    """Imports resolve to the copy's facade and generated code, not this checkout's."""
    paths = [project / "facade", project / "generated", project / "server"]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}


def run_pytest(project: Path, name: str, targets: list[str], *, slow: bool = False) -> Check:
    marks = [] if slow else ["-m", "not slow"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *marks,
         "--record-mode=none", *targets],
        capture_output=True, text=True, check=False, cwd=project, env=environment(project),
    )  # fmt: skip
    return Check(name, result.returncode == 0, result.stdout + result.stderr)


def run_whole_suite(project: Path) -> Check:
    """The copy's whole suite, slow tests, benchmarks smoke and fast paths included."""
    return run_pytest(project, "the whole suite", WHOLE_SUITE, slow=True)


def run_additive_suite(project: Path) -> Check:
    """The copy's suite but what an additive change cannot reach
    (NOT_REACHED_BY_AN_ADDITIVE_CHANGE); slow tests and fast paths included."""
    return run_pytest(project, "the suite an additive change reaches", ADDITIVE_SUITE, slow=True)


def speed_figures(tree: Path, scratch: Path) -> dict[str, float]:
    """SPEED_FIGURES of one `benchmarks/bench.py` run in `tree` (ratios to
    baselines measured in that same run)."""
    output = scratch / f"bench-{tree.name}.json"
    subprocess.run(
        [sys.executable, str(tree / "benchmarks" / "bench.py"), "--only", SPEED_GROUPS,
         "--json", str(output)],
        capture_output=True, text=True, check=True, cwd=tree, env=environment(tree),
    )  # fmt: skip
    rows = json.loads(output.read_text(encoding="utf-8"))["figures"]
    return {row["id"]: row["value"] for row in rows if row["id"] in SPEED_FIGURES}


def compare_speed(base: Path, evolved: Path, scratch: Path, rounds: int = 2) -> dict[str, Any]:
    """The same benchmark functions on both trees, alternating, `rounds` each:
    for each figure, its median on each tree and their ratio (evolved / base)."""
    runs: dict[str, list[dict[str, float]]] = {"base": [], "evolved": []}
    for _ in range(rounds):
        runs["base"].append(speed_figures(base, scratch))
        runs["evolved"].append(speed_figures(evolved, scratch))
    report: dict[str, Any] = {}
    for figure in SPEED_FIGURES:
        medians = {
            tree: statistics.median(r[figure] for r in found) for tree, found in runs.items()
        }
        report[figure] = {**medians, "ratio": medians["evolved"] / medians["base"]}
    return report


def imported_from(project: Path) -> str:
    probe = (
        "import users_api_client, users_sdk; print(users_api_client.__file__, users_sdk.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        cwd=project, env=environment(project),
    )  # fmt: skip
    return result.stdout.strip()


def base_tree(workdir: Path) -> Path:
    """A copy of this checkout as it is, for a benchmark run beside the evolved one."""
    base = workdir / "base"
    shutil.copytree(ROOT, base, ignore=_NOT_COPIED)
    return base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("overlay", type=Path)
    parser.add_argument("--no-bench", action="store_true", help="skip the speed comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="users-sdk-rehearsal-") as scratch:
        workdir = Path(scratch)
        project = prepare(args.overlay.resolve(), workdir)
        print(f"regenerated from {args.overlay}; imports: {imported_from(project)}")
        check = run_whole_suite(project)
        print(f"{'PASS' if check.passed else 'FAIL'}  {check.name}")
        print("      " + "\n      ".join(check.output.strip().splitlines()[-15:]))
        if not args.no_bench:
            for figure, result in compare_speed(base_tree(workdir), project, workdir).items():
                print(
                    f"{figure}: {result['base']:.3f}x before, {result['evolved']:.3f}x after "
                    f"the change ({result['ratio']:.3f} of before)"
                )
    return 0 if check.passed else 1


if __name__ == "__main__":
    sys.exit(main())
