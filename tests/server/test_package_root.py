"""`users_server`'s public names: imported on first access (PEP 562), the same
objects as in their modules, and what type checkers see is what __getattr__ loads."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import users_server

INIT = Path(users_server.__file__)


def test_the_lazy_table_is_what_type_checkers_see() -> None:
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name)
        if node.test.id == "TYPE_CHECKING"
    ]
    seen: dict[str, set[str]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom), ast.unparse(node)
        seen.setdefault("." * node.level + (node.module or ""), set()).update(
            alias.name for alias in node.names
        )
    assert seen == {module: set(names) for module, names in users_server._HOMES.items()}
    assert users_server.__all__ == sorted(users_server._HOME_OF)


def test_every_name_is_the_object_of_its_module() -> None:
    for name, module in users_server._HOME_OF.items():
        home = importlib.import_module(module, "users_server")
        assert getattr(users_server, name) is getattr(home, name), name


def test_importing_the_package_imports_none_of_it() -> None:
    """So that the console script runs, and says what is missing, without FastAPI."""
    probe = (
        "import sys, users_server;"
        "print(sorted(m for m in sys.modules if m.startswith(('users_server', 'fastapi'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['users_server']"
