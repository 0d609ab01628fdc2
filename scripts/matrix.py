"""`make test-matrix`: the fast part of the suite on every Python version the
project claims (pyproject.toml's `Programming Language :: Python :: 3.X`
classifiers), each in its own venv, `.venv-3.X` (made once with uv, reused
while pyproject.toml is unchanged; the version .venv runs reuses .venv).

    python scripts/matrix.py                 # every claimed version
    python scripts/matrix.py 3.12 3.13       # some of them
    python scripts/matrix.py 3.13 -- -x -k pagination   # pytest arguments after --

The fast part: the facade's unit tests, the cassette replays, the guards and
the packaging test (a wheel built and installed on that version). Where to
find each interpreter, and how to name one: scripts/interpreters.py.

A claimed version this machine lacks fails the target, naming it on stderr:
the project says it supports that version, so a run that did not try it
proves nothing about it. MATRIX_ALLOW_MISSING=1 lets a developer who lacks
one run the others (the missing version is still named, and the exit is 0).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import interpreters
import spec_rehearsal
import venvs

ROOT = Path(__file__).resolve().parent.parent
FAST_SUITE = [
    *spec_rehearsal.FACADE_SUITES,  # unit tests and cassette replays
    *spec_rehearsal.GUARDS,
    "tests/test_packaging.py",
]
INSTALL = ["-e", ".[dev]"]
CLASSIFIER = "Programming Language :: Python :: "


def claimed_versions() -> list[str]:
    """The 3.X versions pyproject.toml's classifiers claim, oldest first."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [
        c.removeprefix(CLASSIFIER)
        for c in project["classifiers"]
        if c.startswith(CLASSIFIER) and c.removeprefix(CLASSIFIER).count(".") == 1
    ]
    return sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))


def venv_for(found: interpreters.Found) -> Path:
    """.venv itself for the version it runs (`make install` keeps it installed)."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == found.version:
        return Path(sys.prefix)
    return ROOT / f".venv-{found.version}"


def run_one(found: interpreters.Found, pytest_args: list[str]) -> bool:
    venv = venv_for(found)
    started = time.monotonic()
    if venv != Path(sys.prefix):
        made = venvs.ensure(venv, found.executable, found.full_version, INSTALL)
        print(f"{'made' if made else 'reused'} {venv.name} ({time.monotonic() - started:.0f} s)")
    python = venvs.python_of(venv)
    version = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    print(f"\n==== Python {version}  [{venv.name}: {python}]", flush=True)
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *FAST_SUITE, *pytest_args],
        cwd=ROOT, check=False,
    )  # fmt: skip
    return done.returncode == 0


def main(argv: list[str]) -> int:
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    chosen = (argv[: argv.index("--")] if "--" in argv else argv) or claimed_versions()
    allow_missing = os.environ.get("MATRIX_ALLOW_MISSING") == "1"
    results: list[str] = []
    failed = missing = False
    for version in chosen:
        found = interpreters.find(version)
        if isinstance(found, interpreters.Missing):
            print(f"test-matrix: MISSING {found.message}", file=sys.stderr, flush=True)
            results.append(f"{version} MISSING")
            missing = True
            continue
        started = time.monotonic()
        try:
            passed = run_one(found, pytest_args)
        except venvs.VenvError as error:
            print(f"test-matrix: Python {found.full_version}: {error}", file=sys.stderr)
            passed = False
        failed |= not passed
        took = time.monotonic() - started
        results.append(f"{found.full_version} {'passed' if passed else 'FAILED'} ({took:.0f} s)")
    print(f"\n==== test-matrix: {', '.join(results)}", flush=True)
    if missing and not allow_missing:
        print(
            "test-matrix: a claimed Python version is missing (named above); the run fails "
            "because pyproject.toml claims it. Install it, or set MATRIX_ALLOW_MISSING=1 "
            "to run only the versions this machine has.",
            file=sys.stderr,
        )
        return 2 if not failed else 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
