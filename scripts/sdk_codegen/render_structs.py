"""Writes `users_api_client/sdk/structs.py`: a typed decode in C of the
responses that match the spec exactly, into the generated models.

msgspec decodes JSON straight into a `Struct` of the spec's shape, checking
every type, enum value and date-time as it goes, several times faster than
`json.loads` plus a builder in Python. The Structs refuse unknown fields
(`forbid_unknown_fields`) and, being Literal-typed, unknown enum values: a
response with anything the API added later makes `decode_*` return None.
`STRUCTS` gives the facade each Struct and its converter, so that it can
derive, at run time, a Struct that also takes the fields and enum values it
has seen the API add (users_sdk._typed_decode): the converters put such
fields in `additional_properties`, by the function a derived Struct has as
its `KEPT` class variable (None in the generated ones). What a Struct
accepts is converted into the very attrs model `from_dict` gives.

The module imports msgspec: where it is not installed, importing this module
fails and the facade uses the builders alone.
"""

from __future__ import annotations

from .kinds import KINDS
from .render_builders import Unsupported
from .spec import LIST, MAP, MODEL, Model, Spec, Value
from .text import render_module

# The msgspec type of each kind, and the parser its converter applies, are in kinds.py.


def struct_name(model: str) -> str:
    return f"{model}Struct"


def _type(value: Value, spec: Spec) -> str:
    template = KINDS[value.kind].struct_type if value.kind in KINDS else None
    if template is None:
        raise Unsupported(value.kind)
    fill: dict[str, str] = {}
    if value.enum is not None:
        fill["values"] = ", ".join(repr(v) for v in spec.enums[value.enum].values)
    if value.kind == LIST and value.items is not None:
        fill["items"] = _type(value.items, spec)
    elif value.kind == MAP and value.model is not None:
        values = spec.models[value.model].values
        if values is None or not KINDS[values.kind].plain:
            raise Unsupported(f"a map of {values.kind if values else 'any'} values")
        fill["items"] = _type(values, spec)
    elif value.kind == MODEL and value.model is not None:
        fill["model"] = struct_name(value.model)
    try:
        text = template.format(**fill)
    except KeyError:  # a list with no items, a model with no name: not in a spec we read
        raise Unsupported(value.kind) from None
    return f"{text} | None" if value.nullable else text


def _convert(value: Value, expression: str, spec: Spec) -> str:
    """The attrs value for a Struct value (`expression`) of this kind."""
    parser = KINDS[value.kind].struct_parser
    if parser is not None:
        return f"{parser}({expression})"
    if value.kind == MODEL and value.model is not None:
        return f"_{spec.models[value.model].module}({expression})"
    if value.kind == MAP and value.model is not None:
        return f"_map({value.model}, {expression})"
    if value.kind == LIST and value.items is not None:
        item = _convert(value.items, "item", spec)
        return expression if item == "item" else f"[{item} for item in {expression}]"
    return expression


# The class variable holding a derived Struct's function that gives the
# fields it took for additional_properties: None in the generated Structs, so
# that the converters' path for a spec-matching response pays one `is` test.
KEPT = "KEPT"


def _struct(model: Model, spec: Spec) -> list[str]:
    if any(field.python_name == KEPT for field in model.fields):
        raise Unsupported(f"a field named {KEPT}")
    lines = [
        f"class {struct_name(model.name)}(Struct, forbid_unknown_fields=True, kw_only=True):",
        f"    {KEPT}: ClassVar[Callable[[Any], dict[str, Any]] | None] = None",
    ]
    for field in model.fields:
        annotation = _type(field.value, spec)
        rename = "" if field.json_name == field.python_name else f"name={field.json_name!r}"
        if field.required:
            default = f" = field({rename})" if rename else ""
        else:
            annotation += " | UnsetType"
            default = f" = field(default=UNSET, {rename})" if rename else " = UNSET"
        lines.append(f"    {field.python_name}: {annotation}{default}")
    return [*lines, "", ""]


def _converter(model: Model, spec: Spec) -> list[str]:
    name = model.name
    lines = [f"def _{model.module}(s: {struct_name(name)}) -> {name}:", f"    obj = new({name})"]
    for field in model.fields:
        source = f"s.{field.python_name}"
        converted = _convert(field.value, source, spec)
        if converted == source and field.required:
            lines.append(f"    obj.{field.python_name} = {source}")
            continue
        absent = [] if field.required else [f"{source} is UNSET"]
        absent += [f"{source} is None"] if field.value.nullable else []
        if converted == source:  # optional: msgspec's UNSET is the generated one
            lines.append(
                f"    obj.{field.python_name} = GENERATED_UNSET if {source} is UNSET else {source}"
            )
        elif not absent:
            lines.append(f"    obj.{field.python_name} = {converted}")
        else:
            kept = " else ".join(
                f"GENERATED_UNSET if {source} is UNSET"
                if condition.endswith("UNSET")
                else f"None if {source} is None"
                for condition in absent
            )
            lines.append(f"    obj.{field.python_name} = {kept} else {converted}")
    lines += [
        f"    obj.additional_properties = {{}} if s.{KEPT} is None else s.{KEPT}(s)",
        "    return obj",
    ]
    return [*lines, "", ""]
    return lines


def _decoder(model: Model) -> list[str]:
    name, module = model.name, model.module
    return [
        f"_{module.upper()}_DECODER = Decoder({struct_name(name)})",
        "",
        "",
        f"def decode_{module}(body: bytes) -> {name} | None:",
        f'    """{name} from a JSON body that matches the spec exactly, else None."""',
        "    try:",
        f"        return _{module}(_{module.upper()}_DECODER.decode(body))",
        # ValueError: a date-time fromisoformat cannot read (the builders decide).
        "    except (ValidationError, DecodeError, ValueError):",
        "        return None",
        "",
        "",
    ]


def render(spec: Spec) -> str:
    models = [model for model in spec.response_models() if not model.free_form]
    body: list[str] = []
    decoders: list[str] = []
    decodable = []
    for model in models:
        try:
            part = _struct(model, spec) + _converter(model, spec)
        except Unsupported:
            continue  # the builders' path alone (and from_dict) handles it
        body += part
        decoders += _decoder(model)  # after every Struct: a decoder resolves them all
        decodable.append(model.name)
    body += decoders
    body += [
        "# Each model's Struct and converter, by model name: the facade derives from",
        "# them the Structs that also take what the API added (users_sdk._typed_decode).",
        "STRUCTS: Final[Mapping[str, tuple[type[Struct], Callable[[Any], Any]]]] = {",
        *(
            f"    {name!r}: ({struct_name(name)}, _{spec.models[name].module}),"
            for name in decodable
        ),
        "}",
        "",
        "",
    ]
    body += [
        "# The typed decode of each model that has one, by model name.",
        "DECODERS: Final[Mapping[str, Callable[[bytes], Any]]] = {",
        *(f"    {name!r}: decode_{spec.models[name].module}," for name in decodable),
        "}",
    ]
    names = sorted({*decodable, *(m.name for m in spec.models.values() if m.free_form)})
    lines = [
        '"""Typed decoding of responses that match the spec exactly (msgspec), into',
        "the generated models. `decode_*` return None for anything else (a field",
        "or enum value the spec does not know, a wrong type): the caller then uses",
        "the builders, which keep what the API added. Importing this module needs",
        'msgspec."""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime",
        "import uuid",
        "from collections.abc import Callable, Mapping",
        "from typing import Any, ClassVar, Final, Literal",
        "",
        "from msgspec import UNSET, DecodeError, Struct, UnsetType, ValidationError, field",
        "from msgspec.json import Decoder",
        "",
        f"from ..models import {', '.join(names)}",
        "from ..types import UNSET as GENERATED_UNSET",
        "",
        "new = object.__new__",
        "fromiso = datetime.datetime.fromisoformat",
        "datefromiso = datetime.date.fromisoformat",
        "",
        "",
        "def _map(cls: Any, values: dict[str, Any]) -> Any:",
        "    obj = new(cls)",
        "    obj.additional_properties = values",
        "    return obj",
        "",
        "",
        *body,
    ]
    return render_module(lines)
