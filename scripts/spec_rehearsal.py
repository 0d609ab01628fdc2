"""Rehearse a spec change: apply an overlay to a copy of the project, regenerate
there with the pinned generator, and run the facade's guards against it.

    python scripts/spec_rehearsal.py tests/spec_evolution/additive.overlay.yaml

Nothing in this checkout changes. The report says, for each check, whether it
passed and what it printed; tests/spec_evolution/ asserts on it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from overlay import apply  # noqa: E402

_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    "build", "dist", "*.egg-info", ".generated.*",
)  # fmt: skip

# What "the facade's unit tests and the cassette replays" means here.
FACADE_SUITES = [
    "tests/unit",
    "tests/integration/test_users.py",
    "tests/integration/test_listing.py",
    "tests/integration/test_examples.py",
    "tests/integration/test_cassettes.py::test_every_interaction_conforms_to_openapi",
]
GUARDS = {
    "public API snapshot": ["tests/guards/test_public_api.py"],
    "spec coverage": ["tests/guards/test_spec_coverage.py"],
}


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


def run_pytest(project: Path, name: str, targets: list[str]) -> Check:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
         "--record-mode=none", *targets],
        capture_output=True, text=True, check=False, cwd=project, env=environment(project),
    )  # fmt: skip
    return Check(name, result.returncode == 0, result.stdout + result.stderr)


def imported_from(project: Path) -> str:
    probe = (
        "import users_api_client, users_sdk; print(users_api_client.__file__, users_sdk.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        cwd=project, env=environment(project),
    )  # fmt: skip
    return result.stdout.strip()


def rehearse(project: Path) -> list[Check]:
    checks = [run_pytest(project, "facade unit tests and cassette replays", FACADE_SUITES)]
    checks += [run_pytest(project, name, targets) for name, targets in GUARDS.items()]
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("overlay", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="users-sdk-rehearsal-") as workdir:
        project = prepare(args.overlay.resolve(), Path(workdir))
        print(f"regenerated from {args.overlay}; imports: {imported_from(project)}")
        checks = rehearse(project)
        for check in checks:
            print(f"{'PASS' if check.passed else 'FAIL'}  {check.name}")
            if not check.passed:
                print("      " + "\n      ".join(check.output.strip().splitlines()[-15:]))
    return 0 if all(check.passed for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
