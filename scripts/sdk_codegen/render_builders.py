"""Writes `users_api_client/sdk/builders.py`: fast model builders, and each
response model's shape.

A builder turns decoded JSON into a generated model in one straight pass, as
attrs writes its own `__init__`: read every field, check its JSON type, parse
the date-times, build nested models, set the attributes. It only ever accepts
data that matches the spec (enum values it does not know are kept as plain
strings, and fields it does not know go to `additional_properties`, as the
generated `from_dict` does); anything else makes it return None, and the
facade's general path then explains what is wrong. The shapes give that path
each field's JSON types and enum values.
"""

from __future__ import annotations

from .kinds import KINDS, FieldKind
from .spec import ENUM, INSTANT, LIST, MAP, MODEL, Model, Spec, Value
from .text import constant_name, render_module, tuple_literal

# What a builder does with a value of each kind is in kinds.py: how it checks
# the JSON value, its JSON types, and the function it parses a string with
# that the generated model turns into an object (the model's own, or one that
# gives the same value for what it accepts).


def _kind(value: Value) -> FieldKind:
    return KINDS[value.kind]


def _parser(value: Value) -> str | None:
    return _kind(value).parser


class Unsupported(Exception):
    """A field the builder cannot build exactly as from_dict does: the model
    gets no builder (its builder refuses everything, so from_dict does it)."""


def builder_name(model: str, spec: Spec) -> str:
    return f"build_{spec.models[model].module}"


def _check_supported(value: Value, where: str, spec: Spec) -> None:
    if value.kind not in KINDS or _kind(value).json_types is None:
        raise Unsupported(f"{where} ({value.kind})")
    if value.kind == LIST and value.items is not None:
        if value.items.kind in (LIST, MAP):
            raise Unsupported(f"{where} (an array of {value.items.kind}s)")
        _check_supported(value.items, f"{where}[]", spec)
    if value.kind == MAP and value.items is not None and not _kind(value.items).plain:
        raise Unsupported(f"{where} (a map of {value.items.kind} values)")


def _absent(var: str, value: Value, required: bool) -> list[str]:
    """Conditions under which `var` holds no value to check or convert."""
    conditions = [] if required else [f"{var} is UNSET"]
    return conditions + ([f"{var} is None"] if value.nullable else [])


def _guarded(var: str, value: Value, required: bool, statements: list[str]) -> list[str]:
    """`statements` run only when the field holds a value."""
    absent = _absent(var, value, required)
    if not absent:
        return [f"    {line}" for line in statements]
    present = " and ".join(c.replace(" is ", " is not ") for c in absent)
    return [f"    if {present}:", *(f"        {line}" for line in statements)]


def _builder(model: Model, spec: Spec) -> list[str]:
    name = model.name
    lines = [
        f"def {builder_name(name, spec)}(data: Any) -> {name} | None:",
        f'    """{name} from JSON that matches the spec, else None."""',
        "    if type(data) is not dict:",
        "        return None",
    ]
    if model.values is not None and not KINDS[model.values.kind].plain:
        raise Unsupported(f"{name} (a map of {model.values.kind} values)")
    if model.free_form:
        lines += [f"    obj = new({name})", "    obj.additional_properties = data"]
        return [*lines, "    return obj", "", ""]
    variables = {field.python_name: f"v{index}" for index, field in enumerate(model.fields)}
    required = [f for f in model.fields if f.required]
    optional = [f for f in model.fields if not f.required]
    if required:
        lines.append("    try:")
        lines += [f"        {variables[f.python_name]} = data[{f.json_name!r}]" for f in required]
        lines += ["    except KeyError:", "        return None"]
    lines += [
        f"    {variables[f.python_name]} = data.get({f.json_name!r}, UNSET)" for f in optional
    ]
    for field in model.fields:
        _check_supported(field.value, f"{model.name}.{field.json_name}", spec)
    checks = []
    for field in model.fields:
        json_check = _kind(field.value).json_check
        if json_check is None:
            continue  # checked by parsing it below
        var = variables[field.python_name]
        check = json_check.format(v=var)
        absent = _absent(var, field.value, field.required)
        checks.append(f"({' or '.join([*absent, check])})" if absent else check)
    if checks:
        lines += ["    if not (", "        " + "\n        and ".join(checks), "    ):"]
        lines += ["        return None"]
    parsed = [
        f
        for f in model.fields
        if _parser(f.value)
        or (f.value.kind == LIST and f.value.items is not None and _parser(f.value.items))
    ]
    if parsed:
        lines.append("    try:")
        for field in parsed:
            var = variables[field.python_name]
            if field.value.kind == LIST:
                assert field.value.items is not None
                statement = f"{var} = [{_parser(field.value.items)}(item) for item in {var}]"
            else:
                statement = f"{var} = {_parser(field.value)}({var})"
            lines += [
                f"    {line}" for line in _guarded(var, field.value, field.required, [statement])
            ]
        # fromisoformat raises TypeError for a value that is not a string, UUID
        # AttributeError; a string they cannot read, ValueError.
        lines += ["    except (TypeError, ValueError, AttributeError):", "        return None"]
    for field in model.fields:
        var = variables[field.python_name]
        value = field.value
        if value.kind == MAP and value.model is not None and spec.models[value.model].free_form:
            # Built in line, a call less per item: all its own builder does.
            statements = [
                f"{var}_map = new({value.model})",
                f"{var}_map.additional_properties = {var}",
                f"{var} = {var}_map",
            ]
        elif value.kind in (MAP, MODEL) and value.model is not None:
            statements = [
                f"{var} = {builder_name(value.model, spec)}({var})",
                f"if {var} is None:",
                "    return None",
            ]
        elif value.kind == LIST and value.items is not None and value.items.model is not None:
            statements = [
                f"{var} = {builder_name(value.items.model, spec)}_list({var})",
                f"if {var} is None:",
                "    return None",
            ]
        else:
            continue
        lines += _guarded(var, value, field.required, statements)
    lines.append(f"    obj = new({name})")
    lines += [f"    obj.{f.python_name} = {variables[f.python_name]}" for f in model.fields]
    known = " + ".join(
        [str(len(required))] + [f"({variables[f.python_name]} is not UNSET)" for f in optional]
    )
    keys = f"_{constant_name(model.module)}_KEYS"
    lines += [
        f"    if len(data) == {known}:",
        "        obj.additional_properties = {}",
        "    else:",
        f"        obj.additional_properties = {{k: v for k, v in data.items() if k not in {keys}}}",
        "    return obj",
        "",
        "",
    ]
    names = ", ".join(repr(f.json_name) for f in model.fields)
    return [f"{keys}: Final = frozenset({{{names}}})", "", "", *lines]


def _list_builder(model: Model, spec: Spec, single: list[str]) -> list[str]:
    """The builder of a JSON array of `model`: the single builder's body in a
    loop, which saves a call per item (a page is 100 of them)."""
    name = model.name
    start = next(i for i, line in enumerate(single) if line.startswith("def ")) + 2
    end = max(i for i, line in enumerate(single) if line == "    return obj")
    body = [
        "        append(obj)" if i == end else f"    {line}" if line else line
        for i, line in enumerate(single[start : end + 1], start)
    ]
    return [
        f"def {builder_name(name, spec)}_list(items: list[Any]) -> list[{name}] | None:",
        f'    """{name}s from a JSON array of them, else None (one does not match the spec)."""',
        f"    out: list[{name}] = []",
        "    append = out.append",
        "    for data in items:",
        *body,
        "    return out",
        "",
        "",
    ]


def _json_types(value: Value) -> str:
    types = f"{_kind(value).json_types}" + (", type(None)" if value.nullable else "")
    return f"({types})" if "," in types else f"({types},)"


def _stand_in(value: Value, spec: Spec, busy: frozenset[str]) -> object:
    """A JSON value of `value`'s kind that the generated from_dict accepts: what
    the facade's tolerant mode (strict_responses=False) parses in place of a
    missing or mistyped required field, before setting that field to None or
    to the value the API sent. Never shown to anyone."""
    if value.nullable:
        return None
    if value.kind == ENUM and value.enum is not None:
        return spec.enums[value.enum].values[0]
    if value.kind == LIST:
        return []
    if value.kind == MAP:
        return {}
    if value.kind == MODEL and value.model is not None:
        if value.model in busy:  # a model that requires itself: no finite stand-in
            return None
        return _stand_ins(spec.models[value.model], spec, busy | {value.model})
    return _kind(value).example if value.kind in KINDS else None


def _stand_ins(model: Model, spec: Spec, busy: frozenset[str]) -> dict[str, object]:
    return {f.json_name: _stand_in(f.value, spec, busy) for f in model.fields if f.required}


def _shape(model: Model, spec: Spec) -> list[str]:
    json_types = "".join(
        f"        {f.json_name!r}: {_json_types(f.value)},\n" for f in model.fields
    ).rstrip("\n")
    enums = "".join(
        f"        {f.json_name!r}: frozenset({tuple_literal(spec.enums[f.value.enum].values)}),\n"
        for f in model.fields
        if f.value.kind == ENUM and f.value.enum is not None
    ).rstrip("\n")
    instants = ", ".join(repr(f.json_name) for f in model.fields if f.value.kind == INSTANT)
    return [
        f"{constant_name(model.module)}: Final = Shape(",
        f"    {model.name},",
        f"    {builder_name(model.name, spec)},",
        f"    {builder_name(model.name, spec)}_list,",
        "    {",
        *([json_types] if json_types else []),
        "    },",
        "    {",
        *([enums] if enums else []),
        "    },",
        f"    frozenset({{{instants}}}),".replace("frozenset({})", "frozenset()"),
        "    {",
        *(f"        {f.json_name!r}: {f.python_name!r}," for f in model.fields),
        "    },",
        f"    {_stand_ins(model, spec, frozenset({model.name}))!r},",
        ")",
        "",
    ]


def render(spec: Spec) -> str:
    models = spec.response_models()
    lines = [
        '"""Fast builders of the response models, and their shapes (from openapi.yaml).',
        "",
        "A builder turns decoded JSON into a model in one pass, as attrs writes its",
        "own __init__. It accepts only data that matches the spec: enum values it",
        "does not know stay plain strings and fields it does not know go to",
        "`additional_properties`, as with `from_dict`. Anything else gives None: the",
        "caller then explains what is wrong from the model's Shape.",
        "",
        "The attributes are set directly on a new object, which is what the attrs",
        "__init__ of these classes does: the generator gives them no validators,",
        "converters or frozen fields (tests/unit/test_builders.py checks it).",
        "Nested lists and free-form maps are kept as they come, not copied: the",
        "data is freshly decoded JSON that nothing else holds.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime",
        "from collections.abc import Callable, Mapping",
        "from typing import Any, Final, Generic, NamedTuple, TypeVar",
        "",
        "from ..models import " + ", ".join(sorted(m.name for m in models)),
        "from ..types import UNSET",
        "from uuid import UUID",
        "",
        'T = TypeVar("T")',
        "new = object.__new__",
        "fromiso = datetime.datetime.fromisoformat",
        "datefromiso = datetime.date.fromisoformat",
        "",
        "",
        "class Shape(NamedTuple, Generic[T]):",
        '    """A response model: its builder, the JSON types each field may have,',
        "    the known values of its enum fields, its date-time fields, its attribute",
        '    names, and stand-ins for its required fields."""',
        "",
        "    model: type[T]",
        "    build: Callable[[Any], T | None]",
        "    build_list: Callable[[list[Any]], list[T] | None]",
        "    json_types: Mapping[str, tuple[type, ...]]",
        "    enums: Mapping[str, frozenset[str]]",
        "    instants: frozenset[str]  # the date-time fields",
        "    # Each field's attribute on the model, by its JSON name (`type` is `type_`).",
        "    attributes: Mapping[str, str]",
        "    # Each required field's stand-in: a JSON value the model's from_dict",
        "    # accepts, parsed in place of a missing or mistyped one when",
        "    # strict_responses=False (the field is then set to None or the raw value).",
        "    stand_ins: Mapping[str, Any]",
        "",
        "",
    ]
    unbuilt = []
    for model in models:
        try:
            single = _builder(model, spec)
            lines += single + _list_builder(model, spec, single)
        except Unsupported as reason:
            unbuilt.append(model.name)
            lines += [
                f"def {builder_name(model.name, spec)}(data: Any) -> {model.name} | None:",
                f'    """None: {reason} is not built here, so from_dict builds it."""',
                "    return None",
                "",
                "",
                f"def {builder_name(model.name, spec)}_list(items: list[Any])"
                f" -> list[{model.name}] | None:",
                '    """None, as above."""',
                "    return None",
                "",
                "",
            ]
    lines += [
        "# Models built by from_dict alone (slower): a field the builders do not handle.",
        f"UNBUILT: Final[tuple[str, ...]] = {tuple_literal(unbuilt) if unbuilt else '()'}",
        "",
    ]
    for model in models:
        lines += _shape(model, spec)
    lines += [
        "",
        "# Every response model's Shape by model name: how the facade parses a",
        "# response by the shape an operation names (users_api_client.sdk.operations).",
        "SHAPES: Final[Mapping[str, Shape[Any]]] = {",
        *(f"    {model.name!r}: {constant_name(model.module)}," for model in models),
        "}",
    ]
    return render_module(lines)
