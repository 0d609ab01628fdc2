"""The release tooling's decisions, without building anything: which changelog
lets `make dist` build, where `make test-matrix` finds an interpreter and what
it says when one is missing, and that `make test-lowest` covers every extra."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import changelog  # noqa: E402
import interpreters  # noqa: E402
import lowest  # noqa: E402
import matrix  # noqa: E402

UNRELEASED = (
    "# Changelog\n\n## Unreleased (0.2.0)\n\n### Something\n- a change\n\n## 0.1.0 (2026-11-02)\n"
)
RELEASED = UNRELEASED.replace("## Unreleased (0.2.0)", "## 0.2.0 (2026-12-01)")


def test_a_development_build_needs_a_section_for_its_version() -> None:
    assert changelog.problems("0.2.0", UNRELEASED, release=False) == []
    assert changelog.problems("0.2.0", RELEASED, release=False) == []
    (problem,) = changelog.problems("0.3.0", UNRELEASED, release=False)
    assert "no section for version 0.3.0" in problem
    assert "## Unreleased (0.3.0)" in problem
    # A heading that merely mentions the version is no section for it.
    assert changelog.problems("0.2.0", "## Unreleased (0.2.0) and more\n", release=False)


def test_a_release_build_needs_the_dated_heading_alone() -> None:
    assert changelog.problems("0.2.0", RELEASED, release=True) == []
    (problem,) = changelog.problems("0.2.0", UNRELEASED, release=True)
    assert "`## 0.2.0 (YYYY-MM-DD)`" in problem
    both = RELEASED + "\n## Unreleased (0.2.0)\n"
    (problem,) = changelog.problems("0.2.0", both, release=True)
    assert "still has `## Unreleased (0.2.0)`" in problem


def test_the_committed_changelog_has_a_section_for_the_committed_version() -> None:
    import users_sdk

    assert changelog.version() == users_sdk.__version__
    text = changelog.CHANGELOG.read_text(encoding="utf-8")
    assert changelog.problems(users_sdk.__version__, text, release=False) == []


def fake_python(path: Path, minor: str, full: str, *, works: bool = True) -> Path:
    """An executable that answers interpreters' probe as `full` would (or fails
    as a pyenv shim for an unselected version does)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = (
        f"echo {minor}; echo {full}; echo {path}" if works else "echo 'not selected' >&2; exit 127"
    )
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_shim_that_fails_is_passed_over_for_pyenvs_newest_patch(tmp_path: Path) -> None:
    shims = tmp_path / "shims"
    fake_python(shims / "python3.99", "3.99", "3.99.0", works=False)
    versions = tmp_path / "pyenv" / "versions"
    fake_python(versions / "3.99.2" / "bin" / "python3.99", "3.99", "3.99.2")
    fake_python(versions / "3.99.10" / "bin" / "python3.99", "3.99", "3.99.10")
    fake_python(versions / "3.99.10t" / "bin" / "python3.99", "3.99", "3.99.10t")  # free-threaded
    environ = {"PATH": str(shims), "PYENV_ROOT": str(tmp_path / "pyenv")}
    found = interpreters.find("3.99", environ)
    assert found == interpreters.Found(
        "3.99", versions / "3.99.10" / "bin" / "python3.99", "3.99.10"
    )


def test_the_override_variable_wins_and_is_checked(tmp_path: Path) -> None:
    mine = fake_python(tmp_path / "mine" / "python", "3.99", "3.99.7")
    assert interpreters.find("3.99", {"PATH": "", "PYTHON_3_99": str(mine)}) == (
        interpreters.Found("3.99", mine, "3.99.7")
    )
    wrong = fake_python(tmp_path / "wrong" / "python", "3.98", "3.98.1")
    missing = interpreters.find("3.99", {"PATH": "", "PYTHON_3_99": str(wrong)})
    assert isinstance(missing, interpreters.Missing)
    assert "is Python 3.98.1, not 3.99" in missing.message


def test_a_missing_version_says_where_it_looked_and_how_to_name_one(tmp_path: Path) -> None:
    found = interpreters.find("3.99", {"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path)})
    assert isinstance(found, interpreters.Missing)
    for said in ("Python 3.99 not found", "python3.99 on PATH", "pyenv", "PYTHON_3_99="):
        assert said in found.message


def test_the_matrix_is_every_version_pyproject_claims() -> None:
    assert matrix.claimed_versions() == ["3.11", "3.12", "3.13"]


def test_the_matrix_fails_naming_a_missing_version_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.delenv("MATRIX_ALLOW_MISSING", raising=False)
    assert matrix.main(["3.99"]) == 2
    captured = capsys.readouterr()
    assert "test-matrix: MISSING Python 3.99 not found" in captured.err
    assert "MATRIX_ALLOW_MISSING=1" in captured.err
    assert "==== test-matrix: 3.99 MISSING" in captured.out
    monkeypatch.setenv("MATRIX_ALLOW_MISSING", "1")
    assert matrix.main(["3.99"]) == 0
    assert "MISSING Python 3.99" in capsys.readouterr().err  # still said


def test_the_lowest_sets_cover_every_extra_and_every_requirement_has_a_floor() -> None:
    extras = set(lowest._project()["optional-dependencies"]) - {"dev"}  # type: ignore[call-overload]
    assert extras <= {extra for chosen in lowest.SETS for extra in chosen.extras}
    for chosen in lowest.SETS:
        for requirement in lowest.direct_requirements(chosen.extras):
            # Without a floor, lowest-direct would install a release nobody ever tried.
            assert any(s.operator == ">=" for s in requirement.specifier), requirement
        for test in chosen.tests:
            assert (ROOT / test.split("::")[0]).exists(), test
    # The tools the suites import are pinned in [dev], and never a runtime requirement.
    runtime = {r.name for chosen in lowest.SETS for r in lowest.direct_requirements(chosen.extras)}
    for tool in lowest.TOOLS:
        assert "==" in lowest.dev_pin(tool)
        assert tool not in runtime
