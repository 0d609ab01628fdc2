"""Print (or --write) the hand-written public API of users_sdk: names,
signatures, fields.

`make api-snapshot` writes it to tests/guards/public_api.txt; a test compares
the live API with that file, so that changing the public face is a deliberate,
reviewed act. What is generated from openapi.yaml (the models, the enums, the
TypedDicts, the resources and their methods) is left out: it follows the spec, an
additive spec change must need no edit here, and tests/guards/test_spec_surface.py
checks that it reaches users.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import sys
import typing
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent.parent / "tests" / "guards" / "public_api.txt"
DUNDERS = {"__init__", "__iter__", "__aiter__", "__await__", "__enter__", "__aenter__"}


def _members(cls: type) -> list[str]:
    """Public methods and properties, inherited ones included (from users_sdk only)."""
    found: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("users_sdk"):
            found.update(vars(klass))
    lines = []
    for name, member in sorted(found.items()):
        if name.startswith("_") and name not in DUNDERS:
            continue
        if isinstance(member, property | functools.cached_property):
            lines.append(f"    {name}: property")
        elif inspect.isfunction(member):
            prefix = "async def" if inspect.iscoroutinefunction(member) else "def"
            lines.append(f"    {prefix} {name}{_signature(member)}")
    return lines


class _SortedSet:
    """A set default shown sorted: a set's own repr follows its hash table, and a
    frozenset constant read back from a .pyc can list colliding members in
    another order than the source did."""

    def __init__(self, members: frozenset[Any] | set[Any]) -> None:
        self._text = f"{type(members).__name__}({{{', '.join(map(repr, sorted(members)))}}})"

    def __repr__(self) -> str:
        return self._text


def _signature(function: object) -> inspect.Signature:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return signature.replace(
        parameters=[
            parameter.replace(default=_SortedSet(parameter.default))
            if isinstance(parameter.default, set | frozenset)
            else parameter
            for parameter in signature.parameters.values()
        ]
    )


def _annotation(value: object) -> str:
    return value.__forward_arg__ if isinstance(value, typing.ForwardRef) else repr(value)


def snapshot() -> str:
    import users_sdk
    from users_sdk import _request_facts

    from_spec = {*_request_facts.MODELS, *_request_facts.TYPES}
    lines = [
        "# users_sdk public API (version-independent). Regenerate: make api-snapshot",
        "# Not listed: the names generated from openapi.yaml (models, enums, TypedDicts).",
        "",
    ]
    for name in sorted(users_sdk.__all__):
        if name == "__version__" or name in from_spec:
            continue
        value = getattr(users_sdk, name)
        if typing.is_typeddict(value):
            lines.append(f"TypedDict {name}")
            lines += [f"    {k}: {_annotation(v)}" for k, v in value.__annotations__.items()]
        elif inspect.isclass(value):
            bases = ", ".join(b.__name__ for b in value.__bases__)
            lines.append(f"class {name}({bases})")
            lines += _members(value)
        elif typing.get_origin(value) is typing.Literal:
            lines.append(f"{name} = Literal{list(typing.get_args(value))}")
        elif inspect.isfunction(value):  # its repr would hold its address
            lines.append(f"def {name}{_signature(value)}")
        else:
            lines.append(f"{name} = {value!r}")
    lines += _testing_module()
    for module in _PUBLIC_SUBMODULES:
        lines += _submodule(module)
    return "\n".join(lines) + "\n"


# Public modules imported on demand (not re-exported by users_sdk).
_PUBLIC_SUBMODULES = ("bulk", "openapi")


def _submodule(name: str) -> list[str]:
    module = importlib.import_module(f"users_sdk.{name}")
    lines = [f"module {name}"]
    for member in sorted(module.__all__):
        value = inspect.unwrap(getattr(module, member))  # functools.cache keeps __wrapped__
        if inspect.isfunction(value):
            keyword = "async def" if inspect.iscoroutinefunction(value) else "def"
            lines.append(f"    {keyword} {member}{_signature(value)}")
        elif inspect.isclass(value):
            bases = ", ".join(b.__name__ for b in value.__bases__)
            lines.append(f"    class {member}({bases})")
            lines += ["    " + line for line in _members(value)]
        else:
            lines.append(f"    {member} = {value!r}")
    return lines


def _testing_module() -> list[str]:
    from users_sdk import testing

    lines = ["module testing (pytest plugin)"]
    for name in sorted(testing.__all__):
        value = getattr(testing, name)
        if inspect.isfunction(value):
            lines.append(f"    def {name}{_signature(value)}")
        else:
            lines.append(f"    {name} = {value!r}")
    lines += [
        f"    fixture {name}"
        for name, value in sorted(vars(testing).items())
        if not name.startswith("_") and type(value).__name__ == "FixtureFunctionDefinition"
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.name}")
    args = parser.parse_args()
    text = snapshot()
    if args.write:
        SNAPSHOT.write_text(text, encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
