"""`make test-lowest`: the lowest versions pyproject.toml allows, installed
together and tested, on the oldest Python it claims.

For each set of extras below: uv resolves the project with
`--resolution lowest-direct` (each of the project's own requirements, runtime
and extras, at the lowest version its bound allows; what they pull in at the
newest that fits), then installs exactly those direct versions, plus the test
tools the suites import, into `.venv-lowest-<set>`, and runs the set's tests.

The test tools are not part of that resolution: they are installed beside it,
at their dev pins, with the project's direct requirements held at their lowest
versions, so a tool can never raise a runtime bound unnoticed (the install
fails instead, naming the conflict). pytest-asyncio is left out: only the
plugin's tests use it, and its pin wants a newer pytest than [testing] allows.

Each run prints every direct requirement: its bound, the version installed, and
whether that is the bound itself. A requirement above its bound is one another
requirement lifts (uv says which, below the table).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

sys.path.insert(0, str(Path(__file__).resolve().parent))
import interpreters
import matrix
import spec_rehearsal
import venvs

ROOT = Path(__file__).resolve().parent.parent
# The dev tools the suites below import, installed at their dev pins:
# the generator (the unit tests check scripts/sdk_codegen against it), httpx
# (the legacy-client tests), openapi-core (the replays' conformance check), and
# pytest-xdist, for `-n 2` (CI's PYTEST_ARGS).
TOOLS = ("openapi-python-client", "httpx", "openapi-core", "pytest-xdist")
# pyproject's `asyncio_default_fixture_loop_scope` is pytest-asyncio's, which is
# not installed here: pytest warns of an unknown option, and the suite's
# filterwarnings=error would stop it. Through the environment, so that the
# suites' own pytest subprocesses get it too.
PYTEST_ADDOPTS = "-W 'ignore:Unknown config option:pytest.PytestConfigWarning'"


@dataclass(frozen=True)
class LowestSet:
    name: str
    extras: tuple[str, ...]
    tests: tuple[str, ...]
    why: str


SETS = (
    LowestSet(
        "all",
        ("testing", "server", "cli", "otel"),
        tuple(spec_rehearsal.FACADE_SUITES),
        "every extra together: the facade's unit tests and the cassette replays",
    ),
    LowestSet(
        "otel",
        ("testing", "otel"),
        ("tests/unit/test_tracing.py",),
        "[otel] without [server], whose fastapi needs a newer opentelemetry-api than [otel]'s "
        "bound: the tracing tests on opentelemetry-api's lowest",
    ),
)


def _project() -> dict[str, object]:
    project: dict[str, object] = tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    return project


def direct_requirements(extras: tuple[str, ...]) -> list[Requirement]:
    """The project's own requirements with these extras (runtime first), this
    machine's markers applied, the self-references of [dev] left out."""
    project = _project()
    optional: dict[str, list[str]] = project["optional-dependencies"]  # type: ignore[assignment]
    lines: list[str] = list(project["dependencies"])  # type: ignore[call-overload]
    for extra in extras:
        lines += optional[extra]
    found: dict[str, Requirement] = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.name == "users-sdk" or (
            requirement.marker is not None and not requirement.marker.evaluate()
        ):
            continue
        found.setdefault(requirement.name.lower(), requirement)
    return list(found.values())


def dev_pin(name: str) -> str:
    optional: dict[str, list[str]] = _project()["optional-dependencies"]  # type: ignore[assignment]
    for line in optional["dev"]:
        if Requirement(line).name.lower() == name:
            return line
    raise LookupError(f"{name} is not pinned in the [dev] extra of pyproject.toml")


def lowest_resolution(interpreter: Path, extras: tuple[str, ...]) -> dict[str, str]:
    """name -> version of uv's lowest-direct resolution of the project with `extras`."""
    command = [
        venvs.uv(), "pip", "compile", "--quiet", "--resolution", "lowest-direct",
        "--python", str(interpreter), "--no-header", "--no-annotate", "pyproject.toml",
        *(f"--extra={extra}" for extra in extras),
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=venvs.uv_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise venvs.VenvError(f"`{' '.join(command)}` failed:\n{done.stderr}")
    pins = {}
    for line in done.stdout.splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, version = line.split(";")[0].strip().partition("==")
            pins[name.lower()] = version
    return pins


def why_lifted(interpreter: Path, requirement: Requirement, chosen: LowestSet) -> str:
    """uv's explanation of why `requirement` cannot sit at its lower bound."""
    floor = next(s.version for s in requirement.specifier if s.operator == ">=")
    with tempfile.TemporaryDirectory() as scratch:
        wanted = Path(scratch) / "floor.txt"
        wanted.write_text(f"{requirement.name}=={floor}\n", encoding="utf-8")
        done = subprocess.run(
            [venvs.uv(), "pip", "compile", "--quiet", "--python", str(interpreter),
             "pyproject.toml", *(f"--extra={e}" for e in chosen.extras), str(wanted)],
            cwd=ROOT, env=venvs.uv_environment(), capture_output=True, text=True, check=False,
        )  # fmt: skip
    reasons = [line.strip() for line in done.stderr.splitlines() if "depends on" in line]
    return reasons[0] if reasons else "(uv gave no reason)"


def installed_versions(python: Path) -> dict[str, str]:
    listed = subprocess.run(
        [venvs.uv(), "pip", "list", "--python", str(python), "--format", "json"],
        cwd=ROOT, env=venvs.uv_environment(), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}


def report(interpreter: Path, chosen: LowestSet, installed: dict[str, str]) -> None:
    print(f"  {'requirement':<34} {'installed':<12} at its bound?")
    for requirement in direct_requirements(chosen.extras):
        version = installed.get(requirement.name.lower(), "MISSING")
        floors = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        at_floor = bool(floors) and version != "MISSING" and Version(version) == floors[0]
        verdict = "yes" if at_floor else "NO: " + why_lifted(interpreter, requirement, chosen)
        print(f"  {str(requirement).split(';')[0]:<34} {version:<12} {verdict}")


def run_set(found: interpreters.Found, chosen: LowestSet, pytest_args: list[str]) -> bool:
    print(f"\n==== lowest [{','.join(chosen.extras)}]: {chosen.why}", flush=True)
    pins = lowest_resolution(found.executable, chosen.extras)
    direct = [f"{r.name}=={pins[r.name.lower()]}" for r in direct_requirements(chosen.extras)]
    tools = [dev_pin(name) for name in TOOLS]
    if "opentelemetry-api" in pins:  # the SDK must match the API release exactly
        tools.append(f"opentelemetry-sdk=={pins['opentelemetry-api']}")
    venv = ROOT / f".venv-lowest-{chosen.name}"
    install = ["-e", f".[{','.join(chosen.extras)}]", *direct, *tools]
    made = venvs.ensure(venv, found.executable, found.full_version, install)
    python = venvs.python_of(venv)
    print(f"{'made' if made else 'reused'} {venv.name} on Python {found.full_version}")
    report(found.executable, chosen, installed_versions(python))
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *chosen.tests,
         *pytest_args],
        cwd=ROOT, check=False, env={**os.environ, "PYTEST_ADDOPTS": PYTEST_ADDOPTS},
    )  # fmt: skip
    return done.returncode == 0


def main(argv: list[str]) -> int:
    oldest = matrix.claimed_versions()[0]
    found = interpreters.find(oldest)
    if isinstance(found, interpreters.Missing):
        print(f"test-lowest: {found.message}", file=sys.stderr)
        return 2
    results = []
    for chosen in SETS:
        try:
            passed = run_set(found, chosen, argv)
        except venvs.VenvError as error:
            print(f"test-lowest [{chosen.name}]: {error}", file=sys.stderr)
            passed = False
        results.append((chosen.name, passed))
    said = ", ".join(f"{name} {'passed' if passed else 'FAILED'}" for name, passed in results)
    print(f"\n==== test-lowest: {said}")
    return 0 if all(passed for _, passed in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
