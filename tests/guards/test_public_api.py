"""The public face of users_sdk changes only on purpose (`make api-snapshot`)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import users_sdk

ROOT = Path(__file__).resolve().parents[2]
FACADE = ROOT / "facade" / "users_sdk"
sys.path.insert(0, str(ROOT / "scripts"))
import api_snapshot  # noqa: E402


def test_public_api_matches_the_committed_snapshot() -> None:
    committed = api_snapshot.SNAPSHOT.read_text(encoding="utf-8")
    live = api_snapshot.snapshot()
    assert live == committed, (
        "The public API of users_sdk changed. If that is deliberate, run "
        "`make api-snapshot`, review the diff of tests/guards/public_api.txt and "
        "note it in CHANGELOG.md."
    )


def test_all_is_sorted_and_every_name_resolves() -> None:
    names = [n for n in users_sdk.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in users_sdk.__all__:
        assert getattr(users_sdk, name) is not None


def test_private_modules_stay_private() -> None:
    public_modules = {path.stem for path in FACADE.glob("*.py") if not path.stem.startswith("_")}
    assert public_modules == {"testing"}  # the pytest plugin, imported by pytest


def test_only_the_adapter_imports_the_generated_package() -> None:
    importers = []
    for path in sorted(FACADE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            if any(m.split(".")[0] == "users_api_client" for m in modules):
                importers.append(path.relative_to(FACADE).as_posix())
    assert sorted(set(importers)) == ["_generated_adapter.py"]


def test_import_does_not_load_the_generated_models() -> None:
    probe = (
        "import sys, users_sdk; "
        "print(sorted(m for m in ('users_api_client', 'attrs', 'dateutil', 'asyncio', "
        "'httpcore') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
