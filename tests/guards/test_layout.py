"""The layout keeps the architecture: the client core never reaches the pytest
plugin or the reference server, and no hand-written module grows past what
one reader holds in mind.

The direction is one way: `users_sdk.testing` (the plugin) uses the client,
the client never uses the plugin; the reference server is a separate program
that imports nothing of the SDK (tests/server/test_layers.py checks the
server's side and its own layers).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FACADE = ROOT / "facade" / "users_sdk"
# The packages only the plugin may import: the test runner, the recorder, the server.
PLUGIN_ONLY = {"pytest", "_pytest", "vcr", "pytest_recording", "users_server"}
MAX_LINES = 400


def _package(path: Path) -> str:
    return ".".join(("users_sdk", *path.relative_to(FACADE).parent.parts))


def _imports(path: Path, package: str) -> list[str]:
    """Every module a file imports, absolute, TYPE_CHECKING and function-level ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = str(node.module)
            else:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, node.module or ""]).strip(".")
            found += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return found


def _core_modules() -> list[Path]:
    return sorted(p for p in FACADE.rglob("*.py") if "testing" not in p.relative_to(FACADE).parts)


def test_the_core_never_imports_the_plugin_pytest_vcrpy_or_the_server() -> None:
    reaching = [
        f"{path.relative_to(FACADE)} imports {name}"
        for path in _core_modules()
        for name in _imports(path, _package(path))
        if name.split(".")[0] in PLUGIN_ONLY or name.startswith("users_sdk.testing")
    ]
    assert reaching == []


def test_the_guard_sees_relative_imports_of_the_plugin(tmp_path: Path) -> None:
    """The check above would pass vacuously if `_imports` missed `from .testing import`."""
    probe = tmp_path / "_probe.py"
    probe.write_text("from ..testing import _scrub\nimport pytest\n", encoding="utf-8")
    found = _imports(probe, "users_sdk.cli")
    assert found == ["users_sdk.testing", "users_sdk.testing._scrub", "pytest"]


def test_the_plugin_lives_in_its_package() -> None:
    """What serves record/replay is under testing/, not beside the client."""
    testing = {p.stem for p in (FACADE / "testing").glob("*.py")}
    assert {
        "_scrub",
        "_cassette_contract",
        "_cassette_check",
        "_schema_check",
        "_report",
    } <= testing
    assert {"_server"} <= testing
    root = {p.stem for p in FACADE.glob("*.py")}
    assert not {name for name in root if "cassette" in name or "scrub" in name or "testing" in name}


def test_no_hand_written_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("facade", "server", "scripts")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
