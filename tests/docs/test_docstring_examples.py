"""Every public method has an example in its docstring, and every example runs.

"Public methods": the methods of the public classes of `users_sdk`,
`users_sdk.testing` and `users_sdk.bulk` defined by this project (not those
inherited from httpx2 or Exception), the resource methods generated from
the spec (`client.users.*`, sync and async, whose examples `make generate`
writes), the public functions, and the plugin's fixtures. The models are
generated attrs classes: their page of the reference has one example of
`to_dict()`/`from_dict()` (scripts/docs_hooks.py), run here too.

Examples of methods use `client`, a `UsersClient` (an `AsyncUsersClient` in an
example that awaits: top-level await, as `python -m asyncio` allows), and
`users_sdk`; each runs from the reference server's seeded state.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

import users_sdk
import users_sdk.bulk
import users_sdk.testing
from users_api_client.sdk import resources

from .runner import run_blocks

_FENCED = re.compile(r"```python\n(.*?)```", re.DOTALL)
FIXTURES = ("users_client", "async_users_client", "users_api_server", "users_sdk_vcr_config")
SYNC = "import users_sdk\nfrom users_sdk import UsersClient\nclient = UsersClient()\n"
ASYNC = "import users_sdk\nfrom users_sdk import AsyncUsersClient\nclient = AsyncUsersClient()\n"
# A reset token arrives by email: the example's (the spec's) is swapped for a
# real one that the harness asks for and reads from the test-mode outbox.
SPEC_RESET_TOKEN = "rst_0123456789abcdef"
REAL_TOKEN = (
    "import httpx2, os\n"
    "_base = os.environ['USERS_API_BASE_URL']\n"
    "UsersClient().users.create(email='reset.example@example.com', status='active')\n"
    "UsersClient().users.reset_password('reset.example@example.com')\n"
    "_mail = httpx2.get(_base + '/_test/outbox', params={'kind': 'password_reset'})\n"
    "RESET_TOKEN = _mail.json()[-1]['token']\n"
)


def _ours(function: Any) -> bool:
    module = getattr(function, "__module__", "") or ""
    return module.startswith(("users_sdk", "users_api_client.sdk"))


def public_methods() -> dict[str, Any]:
    """{qualified name: function} of every public method and function."""
    found: dict[str, Any] = {}
    classes = [getattr(users_sdk, name) for name in users_sdk.__all__]
    classes += [getattr(users_sdk.testing, name) for name in users_sdk.testing.__all__]
    classes += [getattr(users_sdk.bulk, name) for name in users_sdk.bulk.__all__]
    for resource in resources.RESOURCES:
        module = __import__(f"users_api_client.sdk.resources.{resource}", fromlist=["*"])
        classes += [getattr(module, name) for name in module.__all__]
    models = set(users_sdk._MODELS)  # generated attrs classes: see the module docstring
    for owner in classes:
        if inspect.isclass(owner) and owner.__name__ not in models:
            for name, member in inspect.getmembers(owner):
                if name.startswith("_") or not callable(member) or not _ours(member):
                    continue
                if inspect.isclass(member):
                    continue
                found[f"{owner.__module__}.{owner.__qualname__}.{name}"] = member
        elif inspect.isfunction(owner) and _ours(owner):
            found[f"{owner.__module__}.{owner.__qualname__}"] = owner
    for fixture in FIXTURES:
        found[f"users_sdk.testing.{fixture}"] = getattr(users_sdk.testing, fixture)
    return found


def examples(obj: Any) -> list[str]:
    doc = inspect.getdoc(getattr(obj, "__wrapped__", obj)) or ""
    return [textwrap.dedent(block) for block in _FENCED.findall(doc)]


def test_every_public_method_has_an_example() -> None:
    methods = public_methods()
    assert len(methods) >= 40
    missing = [
        name
        for name, function in methods.items()
        if "Examples:" not in (inspect.getdoc(function) or "") or not examples(function)
    ]
    assert missing == []


def _all_examples() -> dict[str, str]:
    """{name: code} of every distinct example: methods, classes, modules."""
    found: dict[str, str] = {}
    objects: dict[str, Any] = dict(public_methods())
    for module in (users_sdk.testing, users_sdk.bulk):
        objects[module.__name__] = module
        for name in module.__all__:
            objects[f"{module.__name__}.{name}"] = getattr(module, name)
    for name in users_sdk.__all__:
        objects[f"users_sdk.{name}"] = getattr(users_sdk, name)
    seen: set[str] = set()
    for name, obj in objects.items():
        fixture = name.rsplit(".", 1)[-1] in FIXTURES
        if not (
            fixture or inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj)
        ):
            continue
        for index, code in enumerate(examples(obj)):
            if code not in seen:
                seen.add(code)
                found[f"{name}[{index}]"] = code
    from scripts_docs_hooks import models_page

    found["reference/models.md"] = _FENCED.findall(models_page())[0]
    return found


def _is_pytest(code: str) -> bool:
    return "def test_" in code


def test_every_example_runs_against_the_reference_server(tmp_path: Path) -> None:
    blocks = []
    for name, code in _all_examples().items():
        if _is_pytest(code):
            continue
        awaits = re.search(r"\bawait\b|\basync (for|with)\b", code) and "asyncio.run" not in code
        preamble = ASYNC if awaits else SYNC
        if SPEC_RESET_TOKEN in code:
            preamble += REAL_TOKEN
            code = code.replace(repr(SPEC_RESET_TOKEN).replace("'", '"'), "RESET_TOKEN")
        blocks.append((name, code, preamble))
    assert len(blocks) >= 40
    out = run_blocks(blocks, tmp_path)
    assert len(out) == len(blocks)


def test_the_fixture_examples_pass_as_tests(pytester: pytest.Pytester) -> None:
    snippets = [code for code in _all_examples().values() if _is_pytest(code)]
    assert len(snippets) >= 5
    for index, code in enumerate(snippets):
        pytester.makepyfile(**{f"test_example_{index}": code})
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--record-mode=once")
    result.assert_outcomes(passed=len(snippets))
