"""The reference server's layers, checked on its source: no layer imports a higher one,
and nothing under server/ imports the SDK.

Lowest first: support/, spec/ and errors.py import no other part of the
server; store/ imports those; rules/ imports store/ too; http/ imports rules/
too. The wiring at the package root (settings, state, app, command) and
devmode/ may import anything. The SDK (users_sdk, users_api_client) starts
this server in its testing plugin, so the server importing it would make each
package need the other.

Every import counts, wherever it is: inside a function, or under
`if TYPE_CHECKING:` (a type-only import is still a dependency on that layer).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parents[2] / "server"
PACKAGE = "users_server"
SUBPACKAGES = {"support", "spec", "store", "rules", "http", "devmode"}
# Layer -> the layers it may import besides its own (None: any).
ALLOWED: dict[str, set[str] | None] = {
    "support": set(),
    "errors": set(),
    "spec": set(),
    "store": {"support", "spec", "errors"},
    "rules": {"store", "support", "spec", "errors"},
    "http": {"rules", "store", "support", "spec", "errors"},
    "devmode": None,
    "root": None,
}
FOREIGN = ("users_sdk", "users_api_client")


def layer_of(module: str) -> str:
    """users_server.http.routes -> http; users_server.errors -> errors; other root modules: root."""
    parts = module.split(".")
    if len(parts) > 1 and (parts[1] in SUBPACKAGES or parts[1] == "errors"):
        return parts[1]
    return "root"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SERVER).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(module: str, is_package: bool, source: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in `source`, relative ones resolved.

    `from . import routes` names the module `.routes`, not the package: the
    layer is the module's.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            # `from . import x`, `from .. import errors`: each name may be a module.
            if node.module is None or target == PACKAGE:
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not node.args[0].value.startswith(".")
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def violations(path: str, source: str) -> list[str]:
    """What is wrong with the imports of the module at `path` (relative to server/)."""
    relative = Path(path)
    module = module_name(SERVER / relative)
    layer = layer_of(module)
    allowed = ALLOWED[layer]
    found: list[str] = []
    for line, target in imported_modules(module, relative.name == "__init__.py", source):
        where = f"{relative.as_posix()}:{line}"
        if target.split(".")[0] in FOREIGN:
            found.append(f"{where} imports {target}: the server imports nothing of the SDK")
            continue
        if allowed is None or target.split(".")[0] != PACKAGE:
            continue
        target_layer = layer_of(target)
        if target_layer != layer and target_layer not in allowed:
            may = ", ".join(sorted(allowed)) or "no other layer"
            found.append(
                f"{where} ({layer}) imports {target} ({target_layer}): {layer} may import {may}"
            )
    return found


def server_modules() -> list[Path]:
    return sorted(SERVER.rglob("*.py"))


def test_no_layer_imports_a_higher_one_and_none_imports_the_sdk() -> None:
    modules = server_modules()
    assert len(modules) > 30, "the server's modules were not found"
    problems = [
        problem
        for path in modules
        for problem in violations(
            path.relative_to(SERVER).as_posix(), path.read_text(encoding="utf-8")
        )
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        (
            "users_server/store/listing.py",
            "from ..http.problems import problem_response",
            "users_server/store/listing.py:1 (store) imports users_server.http.problems (http)",
        ),
        (
            "users_server/http/routes.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..state import State",
            "users_server/http/routes.py:3 (http) imports users_server.state (root)",
        ),
        (
            "users_server/support/clock.py",
            "def f():\n    from .. import errors",
            "users_server/support/clock.py:2 (support) imports users_server.errors (errors)",
        ),
        (
            "users_server/spec/location.py",
            "from users_sdk.openapi import spec_path",
            "users_server/spec/location.py:1 imports users_sdk.openapi",
        ),
        (
            "users_server/app.py",
            "import importlib\nimportlib.import_module('users_api_client.sdk')",
            "users_server/app.py:2 imports users_api_client.sdk",
        ),
    ],
)
def test_the_guard_names_the_module_and_the_import(path: str, source: str, expected: str) -> None:
    (problem,) = violations(path, source)
    assert problem.startswith(expected), problem


def test_the_wiring_and_devmode_may_import_every_layer() -> None:
    source = "from .http import routes\nfrom .devmode import testmode\nfrom . import state"
    assert violations("users_server/app.py", source) == []
    assert violations("users_server/devmode/background.py", "from ..app import create_app") == []
    assert violations("users_server/rules/users.py", "from ..store.database import Database") == []


def test_every_module_says_what_it_is_for_and_stays_small() -> None:
    """A docstring at the top of each module; under 400 lines (past that, it is two ideas)."""
    for path in server_modules():
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(SERVER).as_posix()
        assert ast.get_docstring(ast.parse(source)), f"{name} has no module docstring"
        assert source.count("\n") < 400, f"{name} has {source.count(chr(10))} lines"
