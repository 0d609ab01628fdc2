"""Response bodies that are not decoded straight into models are decoded by
msgspec where it is installed, with the standard library's answers and
errors; without msgspec, by the standard library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from users_sdk import _json, _parsing

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    b'{"a": 1, "b": [true, false, null], "c": "\\u00e9"}',
    b'{"version": 9223372036854775807, "min": -9223372036854775808}',  # 64-bit ends
    b'{"version": 123456789012345678901234567890}',  # and beyond
    b'{"x": NaN, "y": Infinity}',  # not JSON, but json.loads takes it
    b'{"s": "\\ud800"}',  # a lone surrogate
    b'{"k": 1, "k": 2}',  # the last one wins
    b"[" * 900 + b"]" * 900,  # deep, within the standard library's limit
    b"1.5e308",
]
BROKEN = [b"", b"{", b"\xff\xfe", b'{"a": 1} x', b"[" * 100_000]


@pytest.mark.parametrize("body", TRICKY, ids=range(len(TRICKY)))
def test_answers_are_the_standard_librarys(body: bytes) -> None:
    expected = json.loads(body)
    got = _json.loads(body)
    assert json.dumps(got) == json.dumps(expected)  # NaN != NaN, so compare the text


@pytest.mark.parametrize("body", BROKEN, ids=range(len(BROKEN)))
def test_errors_are_the_standard_librarys(body: bytes) -> None:
    try:
        json.loads(body)
    except (ValueError, RecursionError) as error:
        expected: type[BaseException] = type(error)
    with pytest.raises(expected):
        _json.loads(body)


def test_msgspec_decodes_here() -> None:
    """The suite runs with msgspec installed, as a default install on CPython has it."""
    assert _json.DECODER.startswith("msgspec ")
    assert _parsing.structs is not None


@pytest.mark.slow
def test_without_msgspec_the_parsing_suites_pass_on_the_fallbacks(tmp_path: Path) -> None:
    """msgspec made unimportable (a package of that name that raises what a
    missing one raises, first on the path): the SDK falls back to the builders
    and the standard library, and its parsing tests still pass."""
    blocker = tmp_path / "msgspec"
    blocker.mkdir()
    # What importing a package that is not installed raises.
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'msgspec'\", name='msgspec')\n",
        encoding="utf-8",
    )
    paths = [str(tmp_path), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    probe = subprocess.run(
        [sys.executable, "-c",
         "from users_sdk import _json, _parsing; print(_json.DECODER, _parsing.structs)"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    assert probe.stdout.strip() == "json (the standard library) None"
    suites = [
        "tests/unit", "tests/bench/test_fast_paths.py",
        "tests/reliability/test_malformed_responses.py", "tests/integration/test_listing.py",
        "-k", "not msgspec_decodes_here and not without_msgspec and not struct",
    ]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *suites],
        capture_output=True, text=True, check=False, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
