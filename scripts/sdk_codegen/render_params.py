"""Writes `users_api_client/sdk/params.py`: what each request takes.

The enum Literals, one TypedDict per request body and per operation with query
parameters (the keyword arguments type checkers and IDEs see), and tables of
each field's kind that the facade checks local input with. It imports nothing
of the generated package, so `import users_sdk` can load it for nothing.
"""

from __future__ import annotations

from .kinds import KINDS
from .spec import Spec, SpecError, Value
from .text import (
    constant_name,
    pascal,
    py_literal,
    render_module,
    render_template,
    tuple_literal,
)


def annotation(value: Value, *, many: bool = False) -> str:
    """The type a caller may pass for a value of this kind (kinds.py gives it)."""
    template = KINDS[value.kind].annotation if value.kind in KINDS else None
    if template is None:
        raise SpecError(f"a value of kind {value.kind!r} cannot be passed as an argument")
    items = annotation(value.items) if value.items is not None else "Any"
    text = template.format(items=items, enum=value.enum)
    if many:
        # One value or several: role="admin" or role=["admin", "owner"].
        assert value.items is not None
        text = f"{annotation(value.items)} | {text}"
    return f"{text} | None" if value.nullable else text


def kind(value: Value, *, required: bool = False, many: bool = False) -> str:
    arguments = [repr(value.kind)]
    if value.nullable:
        arguments.append("nullable=True")
    if required:
        arguments.append("required=True")
    if many:
        arguments.append("many=True")
    if value.items is not None:
        arguments.append(f"items={value.items.kind!r}")
    if value.secret:
        arguments.append("secret=True")
    for name in ("minimum", "maximum", "default", "min_length"):
        if getattr(value, name) is not None:
            arguments.append(f"{name}={py_literal(getattr(value, name))}")
    # What the spec says of it, for the command line's help (and its name there).
    if value.description:
        arguments.append(f"description={py_literal(value.description)}")
    if value.cli_name is not None:
        arguments.append(f"cli_name={py_literal(value.cli_name)}")
    return f"Kind({', '.join(arguments)})"


# The keyword arguments the facade's methods take besides the spec's fields: a
# field of that name would be taken for the method's own argument.
RESERVED_KEYWORDS = frozenset({"self", "body", "timeout", "idempotency_key", "if_match"})
# Names these generated modules define for themselves.
INTERNAL_NAMES = frozenset(
    {"Kind", "KindFacts", "KINDS", "Shape", "T", "UNSET", "UNBUILT", "MODELS", "TYPES", "ENUMS"}
)


def _check_names(where: str, names: list[tuple[str, str]]) -> None:
    # Keyword arguments are sent under their own names: a JSON name that is not
    # a Python identifier ("e-mail", "class") would need a mapping nobody wrote.
    for json_name, python_name in names:
        if json_name != python_name:
            raise SpecError(f"{where}: {json_name!r} cannot be a keyword argument")
        if json_name in RESERVED_KEYWORDS:
            raise SpecError(f"{where}: {json_name!r} is also an argument of the facade's methods")


def check_schema_names(spec: Spec) -> None:
    """Schema names that would shadow a name of the generated modules."""
    for name in [*spec.enums, *spec.models, *typed_dict_names(spec)]:
        if name in INTERNAL_NAMES:
            raise SpecError(f"schema {name!r}: the name is taken by the generated support code")


def render(spec: Spec) -> str:
    kinds = [kind for kind in KINDS.values() if kind.check is not None]
    lines = [*render_template("params_head.py.jinja", kinds=kinds), "", ""]
    for enum in spec.enums.values():
        values = ", ".join(py_literal(v) for v in enum.values)
        lines += [f"{enum.name}: TypeAlias = Literal[{values}]"]
    lines += [
        "",
        "ENUMS: Final[Mapping[str, tuple[str, ...]]] = {",
        *(f"    {enum.name!r}: {tuple_literal(enum.values)}," for enum in spec.enums.values()),
        "}",
        "",
    ]
    typed_dicts = []
    for model in spec.request_models():
        _check_names(model.name, [(f.json_name, f.python_name) for f in model.fields])
        typed_dicts.append(f"{model.name}Params")
        lines += ["", f"class {model.name}Params(TypedDict, total=False):"]
        required = [f.json_name for f in model.fields if f.required]
        doc = f"The fields of {model.name}"
        doc += f"; {', '.join(required)} required at run time." if required else "."
        lines += [f'    """{doc}"""', ""]
        for field in model.fields:
            if field.value.description:
                lines += [f"    #: {field.value.description}"]
            lines += [f"    {field.python_name}: {annotation(field.value)}"]
        lines += [""]
    for operation in spec.operations:
        query = [p for p in operation.parameters if p.location == "query"]
        if not query:
            continue
        _check_names(operation.operation_id, [(p.name, p.python_name) for p in query])
        typed_dicts.append(f"{pascal(operation.function)}Params")
        lines += ["", f"class {pascal(operation.function)}Params(TypedDict, total=False):"]
        lines += [f'    """The query parameters of {operation.operation_id}."""', ""]
        for parameter in query:
            if parameter.value.description:
                lines += [f"    #: {parameter.value.description}"]
            lines += [
                f"    {parameter.python_name}: {annotation(parameter.value, many=parameter.many)}"
            ]
        lines += [""]
    lines += [""]
    for operation in spec.operations:
        if operation.body is not None:
            model = spec.models[operation.body]
            lines += [
                f"{constant_name(operation.function)}_BODY: Final[Mapping[str, Kind]] = {{",
                *(
                    f"    {f.json_name!r}: {kind(f.value, required=f.required)},"
                    for f in model.fields
                ),
                "}",
            ]
        query = [p for p in operation.parameters if p.location == "query"]
        if query:
            lines += [
                f"{constant_name(operation.function)}_QUERY: Final[Mapping[str, Kind]] = {{",
                *(
                    f"    {p.name!r}: {kind(p.value, required=p.required, many=p.many)},"
                    for p in query
                ),
                "}",
            ]
    assert typed_dicts == typed_dict_names(spec)
    public = [*spec.enums, *typed_dicts]
    lines += ["", "# The names users_sdk re-exports: the enums and the TypedDicts."]
    lines += ["__all__ = [" + ", ".join(repr(name) for name in public) + "]"]
    return render_module(lines)


def typed_dict_names(spec: Spec) -> list[str]:
    bodies = [f"{model.name}Params" for model in spec.request_models()]
    queries = [
        f"{pascal(op.function)}Params"
        for op in spec.operations
        if any(p.location == "query" for p in op.parameters)
    ]
    return bodies + queries
