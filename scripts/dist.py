"""`make dist`: build the release artifacts into dist/ and check them as a user
would meet them.

1. CHANGELOG.md has a section for the version in facade/users_sdk/_version.py
   (scripts/changelog.py; `RELEASE=1` wants the dated release heading);
2. `python -m build`: the sdist, then the wheel built from that sdist;
3. `twine check --strict` (the metadata and the README render on PyPI) and
   `check-wheel-contents` (configured in pyproject.toml);
4. the sdist holds what a build needs, and nothing of the checkout's tooling;
5. the sdist alone, with the [cli] extra, installed into a fresh venv (built
   there into a wheel again), then scripts/dist_smoke.py run in it.

Each step prints its name and its time; the first failure stops the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import changelog
import venvs

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
SMOKE_VENV = ROOT / ".venv-dist-smoke"
# Every file a build from the sdist reads (pyproject: readme, license, the
# packages, the spec force-included into the wheel), and the changelog.
SDIST_NEEDS = (
    "PKG-INFO", "pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "openapi.yaml",
    "facade/users_sdk/__init__.py", "facade/users_sdk/py.typed",
    "generated/users_api_client/__init__.py", "server/users_server/__init__.py",
)  # fmt: skip
# What never belongs in it: the checkout's tests, cassettes, venvs and scripts.
SDIST_NEVER = ("tests/", "cassettes/", "scripts/", ".venv", "benchmarks/", "dist/", "build/")
CASSETTE = ROOT / "cassettes" / "test_users" / "test_get_and_me[sync].yaml"


class DistError(Exception):
    """A check of the artifacts failed; the message says which and why."""


def run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DistError(f"`{' '.join(command)}` failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def check_changelog() -> str:
    version = changelog.version()
    release = os.environ.get("RELEASE") == "1"
    found = changelog.problems(
        version, changelog.CHANGELOG.read_text(encoding="utf-8"), release=release
    )
    if found:
        raise DistError("\n".join(found))
    return f"CHANGELOG.md has a section for {version}" + (" (release)" if release else "")


def build() -> str:
    shutil.rmtree(DIST, ignore_errors=True)
    run(sys.executable, "-m", "build", "--outdir", str(DIST), str(ROOT))
    return ", ".join(sorted(p.name for p in DIST.iterdir()))


def artifacts() -> tuple[Path, Path]:
    (sdist,) = DIST.glob("*.tar.gz")
    (wheel,) = DIST.glob("*.whl")
    return sdist, wheel


def twine_check() -> str:
    sdist, wheel = artifacts()
    bin_dir = Path(sys.executable).parent
    run(str(bin_dir / "twine"), "check", "--strict", str(sdist), str(wheel))
    return "twine check --strict: PASSED"


def wheel_contents() -> str:
    _, wheel = artifacts()
    output = run(str(Path(sys.executable).parent / "check-wheel-contents"), str(wheel))
    return output.strip().splitlines()[-1]


def sdist_contents() -> str:
    sdist, _ = artifacts()
    with tarfile.open(sdist) as archive:
        top = sdist.name.removesuffix(".tar.gz")
        names = [n.removeprefix(f"{top}/") for n in archive.getnames()]
    missing = [n for n in SDIST_NEEDS if n not in names]
    stray = [n for n in names if n.startswith(SDIST_NEVER)]
    if missing or stray:
        raise DistError(f"the sdist lacks {missing} / holds what it should not: {stray}")
    return f"{len(names)} files, with {', '.join(SDIST_NEEDS[1:6])}"


def install_sdist() -> str:
    sdist, _ = artifacts()
    shutil.rmtree(SMOKE_VENV, ignore_errors=True)
    venvs.run_uv("venv", "--python", sys.executable, str(SMOKE_VENV))
    # --refresh-package: the wheel is built from this sdist now, never taken from uv's cache.
    venvs.run_uv(
        "pip", "install", "--python", str(venvs.python_of(SMOKE_VENV)),
        "--refresh-package", "users-sdk", f"users-sdk[cli] @ {sdist.as_uri()}",
    )  # fmt: skip
    return f"{sdist.name}[cli] into a fresh {SMOKE_VENV.name}"


def smoke() -> str:
    user = next(
        i["response"]["body"]["string"]
        for i in yaml.safe_load(CASSETTE.read_text(encoding="utf-8"))["interactions"]
        if i["request"]["method"] == "GET" and "/v1/users/usr_" in i["request"]["uri"]
    )
    json.loads(user)  # a user as the API sends it
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    with tempfile.TemporaryDirectory() as elsewhere:  # not the checkout: nothing of it imports
        script = Path(elsewhere) / "dist_smoke.py"
        shutil.copy(ROOT / "scripts" / "dist_smoke.py", script)
        python = str(venvs.python_of(SMOKE_VENV))
        output = run(python, str(script), changelog.version(), user, cwd=Path(elsewhere), env=env)
    return output.strip().replace("\n", "\n      ")


STEPS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("changelog", check_changelog),
    ("build", build),
    ("twine check", twine_check),
    ("check-wheel-contents", wheel_contents),
    ("sdist contents", sdist_contents),
    ("install the sdist", install_sdist),
    ("smoke test", smoke),
)


def main() -> int:
    for name, step in STEPS:
        started = time.monotonic()
        try:
            said = step()
        except (DistError, venvs.VenvError) as error:
            print(f"FAIL  {name}: {error}", file=sys.stderr)
            return 1
        print(f"ok    {name} ({time.monotonic() - started:.1f} s): {said}", flush=True)
    print(f"dist/ holds checked artifacts of users-sdk {changelog.version()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
