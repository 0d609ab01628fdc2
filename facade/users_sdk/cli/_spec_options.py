"""Typer options built from what `make generate` wrote about each request.

The spec is the only list: the filters of `users list`, the field flags of
`users create` and `users update`, the names `--clear` accepts and the
choices of every enum come from `users_sdk._request_facts` (the kind, nullability and
bounds of each field and parameter) and the generated TypedDicts (the enum
values, through their Literal annotations). A field, filter or enum value the
spec gains is an option here after `make generate`, with no edit.

`SpecOptions` decorates a command function that takes `**spec`: it gives the
function a signature (`__signature__`, which Typer reads like any other)
with one keyword parameter per spec name, typed `Annotated[..., typer.Option]`,
built once at import from plain objects, no source compiled. Each parameter
name carries a prefix, so that a spec name never shadows a parameter of the
command itself; `values()` collects them by spec name.
"""

from __future__ import annotations

import enum
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import typer

from .._request_facts import KINDS, Kind
from . import _cells
from ._errors import UsageError

__all__ = [
    "SpecOptions",
    "choices",
    "clear_choices",
    "enum_values",
    "flag",
    "literal",
    "plain",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_PREFIX = "spec__"
# The Python type of a value of each kind, as typed on the command line.
_TYPES: dict[str, type] = {"integer": int, "number": float, "flag": bool}


def enum_values(params: type) -> dict[str, tuple[str, ...]]:
    """The enum values of each field of a generated TypedDict whose type is (a
    list of, or one or several of) a Literal."""
    found = {}
    for name, hint in typing.get_type_hints(params).items():
        values = _literal_values(hint)
        if values:
            found[name] = values
    return found


def _literal_values(hint: object) -> tuple[str, ...]:
    if typing.get_origin(hint) is typing.Literal:
        return tuple(str(value) for value in typing.get_args(hint))
    for argument in typing.get_args(hint):
        values = _literal_values(argument)
        if values:
            return values
    return ()


def literal(values: Iterable[str]) -> Any:
    """`Literal[*values]`: Typer offers (and completes) them as choices."""
    return typing.Literal.__getitem__(tuple(values))


def choices(name: str, values: Iterable[str]) -> Any:
    """An Enum of `values`, for a list of choices (Typer takes no list of a
    Literal); `plain()` turns what it gives back into strings."""
    return enum.Enum(name, [(value, value) for value in values], type=str)


def plain(value: Any) -> Any:
    """A choice as the str it stands for (lists item by item)."""
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value.value if isinstance(value, enum.Enum) else value


def flag(name: str) -> str:
    """`display_name` -> `--display-name`."""
    return "--" + name.replace("_", "-")


@dataclass(frozen=True)
class SpecOptions:
    """The options of one request's fields or query parameters."""

    kinds: Mapping[str, Kind]
    choices: Mapping[str, tuple[str, ...]]
    described: str  # "listUsers parameter", "UserCreate field", ...

    @classmethod
    def of(
        cls,
        kinds: Mapping[str, Kind],
        params: type,
        described: str,
        *,
        leave_out: Iterable[str] = (),
    ) -> SpecOptions:
        skipped = set(leave_out)
        return cls(
            {name: kind for name, kind in kinds.items() if name not in skipped},
            enum_values(params),
            described,
        )

    def flags(self) -> dict[str, str]:
        """The option of each spec name (`display_name`: `--display-name`)."""
        return {name: flag(name) for name in self.kinds}

    def __call__(self, command: _F) -> _F:
        """As a decorator: `command(..., **spec)` gets one option per spec name."""
        signature = inspect.signature(command, eval_str=True)  # the real Annotated objects
        own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        _refuse_clashes(command.__name__, own, self.flags())
        added = [
            inspect.Parameter(
                _PREFIX + name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=self._annotation(name, kind),
            )
            for name, kind in self.kinds.items()
        ]
        command.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
        return command

    def values(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The spec name and value of every option that was given."""
        found: dict[str, Any] = {}
        for name, kind in self.kinds.items():
            value = given.get(_PREFIX + name)
            if value is None or (isinstance(value, list | tuple) and not value):
                continue
            found[name] = self._converted(name, kind, value)
        return found

    def _annotation(self, name: str, kind: Kind) -> Any:
        option_name = flag(name)
        if kind.kind == "flag":
            option_name += f"/--no-{option_name[2:]}"
        options: dict[str, Any] = {"help": self._help(name, kind)}
        metavar = _metavar(kind)
        if metavar is not None:
            options["metavar"] = metavar
        if kind.kind in ("integer", "number"):
            options.update(min=kind.minimum, max=kind.maximum)
        is_enum = kind.kind == "enum" or (kind.kind == "list" and kind.items == "enum")
        many = kind.kind in ("list", "map") or kind.many
        item: Any = _TYPES.get(kind.kind, str)
        if is_enum and name in self.choices:
            values = self.choices[name]
            item = choices(name, values) if many else literal(values)
        value_type = list[item] if many else item
        return Annotated[value_type | None, typer.Option(option_name, **options)]

    def _help(self, name: str, kind: Kind) -> str:
        parts = [f"{self.described} {name!r}"]
        if kind.many:
            parts.append("repeat for several (any of them matches)")
        elif kind.kind == "list":
            parts.append("repeat for several items (they replace the list)")
        elif kind.kind == "map":
            parts.append("KEY=VALUE, repeat for several (they replace the map)")
        elif kind.kind == "model":
            parts.append("a JSON object")
        elif kind.kind in ("instant", "date"):
            parts.append("ISO 8601")
        if kind.required:
            parts.append("required")
        if kind.default is not None and kind.kind != "flag":
            parts.append(f"default {_cells.to_text(kind.default)}")
        return "; ".join(parts) + "."

    def _converted(self, name: str, kind: Kind, value: Any) -> Any:
        if kind.kind == "map":
            return dict(_key_value(name, item) for item in value)
        if kind.kind == "model":
            try:
                return _cells.from_text(kind, value)
            except _cells.CellError as error:
                raise UsageError(f"{flag(name)}: {error}") from None
        return plain(value)


def _metavar(kind: Kind) -> str | None:
    """What the help shows for a value (the generated KINDS give it; a list's
    is its items'): DATETIME, EMAIL, KEY=VALUE, ... or None for Typer's own."""
    facts = KINDS.get(kind.kind)
    if facts is not None and facts.metavar is not None:
        return facts.metavar
    if kind.kind == "list" and kind.items is not None and kind.items in KINDS:
        return KINDS[kind.items].metavar
    return None


def _key_value(name: str, item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise UsageError(f"{flag(name)} takes KEY=VALUE, not {item!r}")
    return key, value


def _refuse_clashes(
    command: str, own: list[inspect.Parameter], spec_flags: Mapping[str, str]
) -> None:
    """A spec name that became a flag the command already has (a field named
    `yes`, say) would lose one of the two: fail at import, naming both."""
    taken: dict[str, str] = {}
    for parameter in own:
        info = next(
            (
                a
                for a in getattr(parameter.annotation, "__metadata__", ())
                if hasattr(a, "param_decls")
            ),
            None,
        )
        declared = [getattr(info, "default", None), *(getattr(info, "param_decls", None) or ())]
        names = [d for d in declared if isinstance(d, str) and d.startswith("-")] or [
            flag(parameter.name)
        ]
        for name in names:
            for part in name.split("/"):
                taken[part.strip()] = parameter.name
    for name, option in spec_flags.items():
        if option in taken or f"--no-{option[2:]}" in taken:
            raise RuntimeError(
                f"users-sdk {command}: the spec's {name!r} wants {option}, "
                f"which the command's own {taken.get(option)!r} has; rename one of them in the CLI"
            )


def clear_choices(kinds: Mapping[str, Kind]) -> dict[str, Any]:
    """What `--clear FIELD` sets each clearable field to: null for a nullable
    field, an empty list or map for a list or map."""
    cleared: dict[str, Any] = {}
    for name, kind in kinds.items():
        if kind.nullable:
            cleared[name] = None
        elif kind.kind == "list":
            cleared[name] = []
        elif kind.kind == "map":
            cleared[name] = {}
    return cleared
