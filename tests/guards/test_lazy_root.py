"""`import users_sdk` stays cheap, and `users_sdk.X` is still the real X.

The package root imports each public name from its module on first access
(PEP 562): pytest imports users_sdk in every run for its plugin, which must not
pay for the HTTP client. Each hand-written name is therefore written three
times in `__init__.py`: in `__all__`, under `if TYPE_CHECKING:` (what type
checkers and IDEs see) and in `_HOMES` (what `__getattr__` imports). These
tests keep the three the same, and the spec's names the same as the generated
modules they load from. What `import users_sdk` must not load is checked in
test_public_api.py.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import users_sdk
from users_api_client.sdk import exports, names, params

INIT = Path(users_sdk.__file__)


def _type_checking_imports() -> dict[str, set[str]]:
    """{module: names} of the imports under `if TYPE_CHECKING:` in __init__.py,
    relative modules written ".name", star imports as {"*"}."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        # The other one extends __all__, with an `else:` for run time.
        and not node.orelse
    ]
    assert len(blocks) == 1, "one `if TYPE_CHECKING:` block of imports at module level"
    found: dict[str, set[str]] = {}
    for node in blocks[0].body:
        assert isinstance(node, ast.ImportFrom), ast.unparse(node)
        # An alias would give type checkers another name than the one users get.
        assert all(alias.asname is None for alias in node.names), ast.unparse(node)
        module = "." * node.level + (node.module or "")
        found.setdefault(module, set()).update(alias.name for alias in node.names)
    return found


def test_the_lazy_table_is_what_type_checkers_see() -> None:
    seen = _type_checking_imports()
    table = {module: set(names_) for module, names_ in users_sdk._HOMES.items()}
    assert {m: n for m, n in seen.items() if m.startswith(".")} == table, (
        "users_sdk/__init__.py: _HOMES and the imports under `if TYPE_CHECKING:` disagree"
    )
    assert {m: n for m, n in seen.items() if not m.startswith(".")} == {
        "users_api_client.sdk.exports": {"*"},
        "users_api_client.sdk.params": {"*"},
    }
    # A name in two modules would load from whichever _HOME_OF happened to keep.
    assert len(users_sdk._HOME_OF) == sum(map(len, users_sdk._HOMES.values()))


def test_the_spec_names_are_what_the_generated_modules_export() -> None:
    # Type checkers read the star imports; __getattr__ goes by names.MODELS/TYPES.
    assert sorted(exports.__all__) == sorted(names.MODELS)
    assert sorted(params.__all__) == sorted(names.TYPES)


def test_all_is_the_table_and_the_spec_names() -> None:
    groups = [["__version__"], list(users_sdk._HOME_OF), list(names.TYPES), list(names.MODELS)]
    everything = [name for group in groups for name in group]
    assert len(everything) == len(set(everything))
    assert sorted(users_sdk.__all__) == sorted(everything)
    assert dir(users_sdk) == sorted(users_sdk.__all__)


def test_every_name_is_the_object_of_its_module() -> None:
    for name, module in users_sdk._HOME_OF.items():
        home = importlib.import_module(module, "users_sdk")
        assert users_sdk._load(name) is getattr(home, name) is getattr(users_sdk, name), name
    for name in names.MODELS:
        assert getattr(users_sdk, name) is getattr(exports, name), name
    for name in names.TYPES:
        assert getattr(users_sdk, name) is getattr(params, name), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(users_sdk, "UsersClent")
    assert not hasattr(users_sdk, "_client_typo")


def _run(probe: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_star_import_loads_every_name_in_a_fresh_process() -> None:
    probe = (
        "from users_sdk import *; import users_sdk; "
        "print(sorted(set(users_sdk.__all__) - set(globals())))"
    )
    assert _run(probe) == "[]"


def test_the_version_needs_no_client() -> None:
    probe = (
        "import sys, users_sdk; users_sdk.__version__; "
        "print(sorted(m for m in ('users_sdk._client', 'httpx2', 'attrs', "
        "'users_api_client.sdk.params') if m in sys.modules))"
    )
    assert _run(probe) == "[]"
