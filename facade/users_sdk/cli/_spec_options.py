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

An option's name is the spec's (`email_domain`: `--email-domain`), or the
`x-cli-name` the spec gives it where its own name reads badly on a command
line (`q`: `--search`, with `--q` kept as a hidden alias). Its help is the
spec's description, followed by what only the command line needs to say (how
to repeat it, its default).
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
    "option_of",
    "plain",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_PREFIX = "spec__"
_ALIAS_PREFIX = "spec_alias__"  # the spec's own name, hidden, when x-cli-name renames it
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
        """The option of each spec name (`display_name`: `--display-name`;
        `q`: `--search`, its x-cli-name)."""
        return {name: option_of(name, kind) for name, kind in self.kinds.items()}

    def aliases(self) -> dict[str, str]:
        """The hidden option under the spec's own name of each renamed one (`q`: `--q`)."""
        return {
            name: flag(name)
            for name, kind in self.kinds.items()
            if option_of(name, kind) != flag(name)
        }

    def __call__(self, command: _F) -> _F:
        """As a decorator: `command(..., **spec)` gets one option per spec name."""
        signature = inspect.signature(command, eval_str=True)  # the real Annotated objects
        own = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        _refuse_clashes(command.__name__, own, {**self.flags(), **self.aliases()})
        added = [
            inspect.Parameter(
                _PREFIX + name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=self._annotation(name, kind, self.flags()[name]),
            )
            for name, kind in self.kinds.items()
        ]
        added += [
            inspect.Parameter(
                _ALIAS_PREFIX + name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=self._annotation(name, self.kinds[name], alias, hidden=True),
            )
            for name, alias in self.aliases().items()
        ]
        command.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
        return command

    def values(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The spec name and value of every option that was given."""
        found: dict[str, Any] = {}
        for name, kind in self.kinds.items():
            value, alias = given.get(_PREFIX + name), given.get(_ALIAS_PREFIX + name)
            if _given(value) and _given(alias):
                raise UsageError(
                    f"{self.flags()[name]} and {flag(name)} are the same option; give it once"
                )
            value = value if _given(value) else alias
            if not _given(value):
                continue
            found[name] = self._converted(name, kind, value)
        return found

    def _annotation(self, name: str, kind: Kind, option_name: str, *, hidden: bool = False) -> Any:
        if kind.kind == "flag":
            option_name += f"/--no-{option_name[2:]}"
        options: dict[str, Any] = {"help": self._help(name, kind), "hidden": hidden}
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
        """The spec's description, then what only the command line needs to say."""
        described = kind.description.rstrip(".")
        parts = [described or f"{self.described} {name!r}"]
        if kind.many:
            # The spec may already say so ("Repeat the parameter for several").
            if "repeat" not in described.lower():
                parts.append("repeat for several (any of them matches)")
        elif kind.kind == "list":
            parts.append("repeat for several items (they replace the list)")
        elif kind.kind == "map":
            parts.append("KEY=VALUE, repeat for several (they replace the map)")
        elif kind.kind == "model":
            parts.append("a JSON object")
        if kind.required:
            parts.append("required")
        if kind.default is not None and kind.kind != "flag":
            parts.append(f"default {_cells.to_text(kind.default)}")
        return "; ".join(parts) + "."

    def _converted(self, name: str, kind: Kind, value: Any) -> Any:
        option = option_of(name, kind)
        if kind.kind == "map":
            return dict(_key_value(option, item) for item in value)
        if kind.kind == "model":
            try:
                return _cells.from_text(kind, value)
            except _cells.CellError as error:
                raise UsageError(f"{option}: {error}") from None
        return plain(value)


def option_of(name: str, kind: Kind) -> str:
    """The option a spec name is given as: its x-cli-name's, else its own."""
    return flag(kind.cli_name or name)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, list | tuple) and not value)


def _metavar(kind: Kind) -> str | None:
    """What the help shows for a value (the generated KINDS give it; a list's
    is its items'): DATETIME, EMAIL, KEY=VALUE, ... or None for Typer's own."""
    facts = KINDS.get(kind.kind)
    if facts is not None and facts.metavar is not None:
        return facts.metavar
    if kind.kind == "list" and kind.items is not None and kind.items in KINDS:
        return KINDS[kind.items].metavar
    return None


def _key_value(option: str, item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise UsageError(f"{option} takes KEY=VALUE, not {item!r}")
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
