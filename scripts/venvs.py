"""Virtual environments made with uv (a dev dependency, installed in .venv), and
made once: a venv whose stamp matches what it was asked to hold is reused.

The stamp is the interpreter's version, the uv arguments and the content of
pyproject.toml: an editable install follows the source by itself, so only a
change of dependencies or entry points (pyproject.toml) needs a new install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAMP = ".users-sdk-installed"


class VenvError(Exception):
    """A venv could not be made or filled; the message says which command failed."""


def uv() -> str:
    """uv beside the running interpreter (.venv/bin/uv), else on PATH."""
    beside = Path(sys.executable).parent / "uv"
    if beside.exists():
        return str(beside)
    found = shutil.which("uv")
    if found is None:
        raise VenvError("uv is not installed: run `make install` (it is in the [dev] extra).")
    return found


def uv_environment() -> dict[str, str]:
    """uv never downloads a Python build here: the interpreters are the machine's own."""
    return {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": ""}


def fingerprint(full_version: str, install: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(full_version.encode())
    digest.update("\0".join(install).encode())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def python_of(venv: Path) -> Path:
    return venv / "bin" / "python"


def run_uv(*args: str, quiet: bool = True) -> None:
    command = [uv(), *args, *(["--quiet"] if quiet else [])]
    done = subprocess.run(
        command, cwd=ROOT, env=uv_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise VenvError(f"`{' '.join(command)}` failed:\n{done.stdout}{done.stderr}")


def ensure(venv: Path, interpreter: Path, full_version: str, install: list[str]) -> bool:
    """A venv at `venv` on `interpreter` holding `uv pip install <install>`.
    Returns True if it was (re)made, False if the one there was reused."""
    wanted = fingerprint(full_version, install)
    stamp = venv / STAMP
    if python_of(venv).exists() and stamp.exists() and stamp.read_text() == wanted:
        return False
    shutil.rmtree(venv, ignore_errors=True)
    run_uv("venv", "--python", str(interpreter), str(venv))
    run_uv("pip", "install", "--python", str(python_of(venv)), *install)
    stamp.write_text(wanted)
    return True
