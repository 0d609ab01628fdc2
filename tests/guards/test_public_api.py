"""The public face of users_sdk changes only on purpose (`make api-snapshot`)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import users_sdk
from users_sdk import _request_facts

ROOT = Path(__file__).resolve().parents[2]
FACADE = ROOT / "facade" / "users_sdk"
sys.path.insert(0, str(ROOT / "scripts"))
import api_snapshot  # noqa: E402


def _snapshot_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_nothing_of_the_public_api_was_removed_or_changed() -> None:
    committed = _snapshot_lines(api_snapshot.SNAPSHOT.read_text(encoding="utf-8"))
    live = set(_snapshot_lines(api_snapshot.snapshot()))
    gone = [line for line in committed if line not in live]
    assert not gone, (
        "The public API of users_sdk lost or changed these lines. If that is "
        "deliberate, run `make api-snapshot`, review the diff of "
        "tests/guards/public_api.txt and note it in CHANGELOG.md:\n" + "\n".join(gone)
    )


def test_hand_written_additions_are_recorded() -> None:
    """A hand-written addition fails, listed, until `make api-snapshot` records
    it; names generated from the spec are not in the snapshot, so an additive
    spec change never fails here."""
    committed = set(_snapshot_lines(api_snapshot.SNAPSHOT.read_text(encoding="utf-8")))
    added = [line for line in _snapshot_lines(api_snapshot.snapshot()) if line not in committed]
    assert not added, (
        "New public API, not yet in tests/guards/public_api.txt (run `make api-snapshot` "
        "and note it in CHANGELOG.md):\n" + "\n".join(added)
    )


def test_every_name_resolves_once() -> None:
    names = [n for n in users_sdk.__all__ if n != "__version__"]
    assert len(names) == len(set(names))
    handwritten = [n for n in names if n not in {*_request_facts.MODELS, *_request_facts.TYPES}]
    assert handwritten == sorted(handwritten, key=lambda n: (not n.isupper(), n))
    for name in users_sdk.__all__:
        assert getattr(users_sdk, name) is not None


def test_private_modules_stay_private() -> None:
    public_modules = {path.stem for path in FACADE.glob("*.py") if not path.stem.startswith("_")}
    # The installed spec (on demand).
    assert public_modules == {"openapi"}
    packages = {p.parent.name for p in FACADE.glob("*/__init__.py")} - {"resources"}
    public_packages = {name for name in packages if not name.startswith("_")}
    # The pytest plugin (imported by pytest), bulk import/export and the command line;
    # `resources` holds the documented place for hand-written resource overrides.
    assert public_packages == {"bulk", "cli", "testing"}


def _generated_imports() -> list[tuple[str, str, list[str]]]:
    """(facade module, generated module, imported names) of every import of
    users_api_client in the facade, TYPE_CHECKING ones included."""
    found = []
    for path in sorted(FACADE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(FACADE).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [
                    (where, alias.name, [])
                    for alias in node.names
                    if alias.name.split(".")[0] == "users_api_client"
                ]
            elif (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").split(".")[0] == "users_api_client"
            ):
                found.append((where, str(node.module), [alias.name for alias in node.names]))
    return found


def test_the_facade_uses_only_public_names_of_the_generated_package() -> None:
    private = [
        (where, module, name)
        for where, module, names in _generated_imports()
        for name in [*module.split("."), *names]
        if name.startswith("_")
    ]
    assert private == []
    sources = {p: p.read_text(encoding="utf-8") for p in FACADE.rglob("*.py")}
    # Code compiled at run time, generated internals, lookups into generated modules.
    for forbidden in (r"_get_kwargs", r"sys\.modules", r"(?<![\w.])(exec|eval|compile)\("):
        pattern = re.compile(forbidden)
        assert [str(p) for p, text in sources.items() if pattern.search(text)] == [], forbidden


def test_only_the_spec_and_models_modules_import_generated_code_at_run_time() -> None:
    """`_request_facts.py` (cheap) and `_parsing.py` (loaded on first use);
    `__init__.py` reads the names of the spec's models and types it re-exports
    (the modules themselves load on first access); `_types.py` the NOT_GIVEN the
    generated signatures use; `_client.py` inherits the generated resources;
    `openapi.py` (on demand) checks the installed spec against the digest.
    Elsewhere only for type checkers."""
    runtime = set()
    for path in sorted(FACADE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level, outside `if TYPE_CHECKING:`
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").split(".")[0] == "users_api_client"
            ):
                runtime.add((path.relative_to(FACADE).as_posix(), str(node.module)))
    assert runtime == {
        ("__init__.py", "users_api_client.sdk.names"),
        ("_request_facts.py", "users_api_client.sdk.names"),
        ("_request_facts.py", "users_api_client.sdk.params"),
        ("_parsing.py", "users_api_client.models"),
        ("_parsing.py", "users_api_client.sdk.builders"),
        ("_types.py", "users_api_client.sdk.call"),
        ("_client.py", "users_api_client.sdk.resources"),
        ("openapi.py", "users_api_client.sdk.source"),
    }


def test_import_does_not_load_the_generated_models() -> None:
    probe = (
        "import sys, users_sdk; "
        "print(sorted(m for m in ('users_api_client.models', 'users_api_client.client', "
        "'users_api_client.sdk.builders', 'attrs', 'dateutil', 'asyncio', 'httpcore', "
        "'httpcore2', 'httpx', 'anyio', "
        # The client, the HTTP client and the spec's enums and TypedDicts load on
        # first access (pytest imports users_sdk for its plugin in every run).
        "'users_sdk._client', 'httpx2', 'users_api_client.sdk.params', "
        # The command line's libraries (users_sdk.cli): never loaded by the SDK.
        "'typer', 'click', 'rich', 'users_sdk.cli') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
