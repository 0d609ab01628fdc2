"""Find a CPython interpreter of a given minor version (3.12, say) on this machine.

Where `make test-matrix` and `make test-lowest` look, in order:

1. `PYTHON_3_12=/path/to/python` in the environment (or on make's command line):
   the developer's word, used as given and checked to be that version;
2. `python3.12` on PATH, if it runs: a pyenv shim for a version that is
   installed but not selected fails, and is passed over;
3. pyenv's own installs, `$(pyenv root)/versions/3.12.*/bin/python3.12`, the
   newest patch release first (these machines keep 3.11, 3.12 and 3.13 there).

A version found nowhere is a `Missing`, whose message says where we looked
and how to point us at one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

# A shim (pyenv's) runs the real interpreter: sys.executable names it, and a
# venv made from it does not depend on which version the shim selects later.
_PROBE = (
    "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.version.split()[0]);"
    " print(sys.executable)"
)


@dataclass(frozen=True)
class Found:
    version: str  # "3.12"
    executable: Path
    full_version: str  # "3.12.1"


@dataclass(frozen=True)
class Missing:
    version: str
    message: str


def override_variable(version: str) -> str:
    """The environment variable that names the interpreter for `version`."""
    return "PYTHON_" + version.replace(".", "_")


def _probe(executable: Path) -> tuple[str, str, Path] | None:
    """(minor version, full version, real executable) of an interpreter, or None
    if it does not run."""
    try:
        done = subprocess.run(
            [str(executable), "-c", _PROBE], capture_output=True, text=True, timeout=30,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != 3:
        return None
    return lines[0], lines[1], Path(lines[2])


def _pyenv_root(environ: Mapping[str, str]) -> Path | None:
    if environ.get("PYENV_ROOT"):
        return Path(environ["PYENV_ROOT"])
    pyenv = shutil.which("pyenv", path=environ.get("PATH"))
    if pyenv:
        done = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip():
            return Path(done.stdout.strip())
    default = Path.home() / ".pyenv"
    return default if default.is_dir() else None


def _is_release(install: Path) -> bool:
    """3.12.1, not 3.12.1t (free-threaded) or 3.12-dev."""
    return re.fullmatch(r"[\d.]+", install.name) is not None


def _patch_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name))


def _candidates(version: str, environ: Mapping[str, str]) -> Iterator[Path]:
    on_path = shutil.which(f"python{version}", path=environ.get("PATH"))
    if on_path:
        yield Path(on_path)
    root = _pyenv_root(environ)
    if root is not None:
        releases = (p for p in (root / "versions").glob(f"{version}.*") if _is_release(p))
        installs = sorted(releases, key=_patch_key, reverse=True)
        for install in installs:
            yield install / "bin" / f"python{version}"


def find(version: str, environ: Mapping[str, str] | None = None) -> Found | Missing:
    environ = os.environ if environ is None else environ
    variable = override_variable(version)
    if environ.get(variable):
        given = Path(environ[variable])
        probed = _probe(given)
        if probed is None:
            return Missing(version, f"{variable}={given} does not run: name a Python {version}.")
        if probed[0] != version:
            return Missing(version, f"{variable}={given} is Python {probed[1]}, not {version}.")
        return Found(version, probed[2], probed[1])
    for candidate in _candidates(version, environ):
        probed = _probe(candidate)
        if probed is not None and probed[0] == version:
            return Found(version, probed[2], probed[1])
    return Missing(
        version,
        f"Python {version} not found: no working python{version} on PATH and none in "
        f"pyenv's versions/{version}.*. Install it (`pyenv install {version}`, or your "
        f"system's python{version} package), or point at one: {variable}=/path/to/python{version}.",
    )
