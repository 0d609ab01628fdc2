"""An endpoint's query parameters, declared to FastAPI from the spec's operation.

FastAPI validates what a signature declares: each query parameter's bounds,
pattern, enum and default are written into the signature from the spec, so
a bad value is a 422 (`query.limit`) in one list with every other bad
parameter, in the spec's order, with pydantic's messages. The values are only
known once a spec is read, hence a signature per app.

The endpoint names the parameters it implements as keyword-only arguments,
with the Python type its code works with (`limit: int`, `role: list[str] |
None`). That is behaviour, not a restated fact: the spec's kind must agree
with it, and a type without None needs a default (or `required`) in the spec,
else the server stops at start. A spec parameter the endpoint does not take
(a filter the spec added before the server implements it) is declared too, so
that a value the spec refuses is still a 422, and is then dropped: a valid
value is ignored like an unknown parameter.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, cast, get_args

from fastapi import Query
from pydantic import AfterValidator
from starlette.responses import Response

from ..spec import STRING_KINDS, Kind, Limits, Property, QueryParameters, SpecError
from .bodies import check_email, enum_type, scalar_type

Endpoint = Callable[..., Awaitable[Response]]
# Subscripted with values computed at run time, which type checkers cannot follow.
_Annotated = cast(Any, Annotated)
_list = cast(Any, list)
# The Python type each kind of parameter arrives as. An instant arrives as
# text: the endpoint parses it, with an error of its own.
_PYTHON_TYPES: dict[Kind, Any] = {
    **dict.fromkeys(STRING_KINDS, str),
    "instant": str,
    "integer": int,
    "flag": bool,
    "list": list[str],
}


def declare_query(endpoint: Endpoint, query: QueryParameters) -> Endpoint:
    """`endpoint`, with each keyword-only argument declared as `query` declares it.

    They are put in the spec's order, which is the order FastAPI reports errors in.
    """
    position = {prop.name: i for i, prop in enumerate(query.parameters)}
    signature = inspect.signature(endpoint, eval_str=True)
    others, implemented = [], []
    for parameter in signature.parameters.values():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            others.append(parameter)
            continue
        where = f"{query.operation_id}.{parameter.name}"
        if parameter.name in query.unreadable:
            raise SpecError(query.unreadable[parameter.name])
        if parameter.name not in position:
            raise SpecError(f"{where}: the server implements it, the spec has no such parameter")
        prop = query.parameters[position[parameter.name]]
        implemented.append(_declared(where, parameter, prop))
    taken = {parameter.name for parameter in [*others, *implemented]}
    unimplemented = [
        extra
        for prop in query.parameters
        if prop.name not in taken
        and (extra := _unimplemented(f"{query.operation_id}.{prop.name}", prop)) is not None
    ]
    checked = sorted([*implemented, *unimplemented], key=lambda p: position[p.name])
    dropped = {parameter.name for parameter in unimplemented}

    async def bound(**arguments: Any) -> Response:
        return await endpoint(**{k: v for k, v in arguments.items() if k not in dropped})

    declared = signature.replace(parameters=[*others, *checked])
    bound.__signature__ = declared  # type: ignore[attr-defined]
    return bound


def _declared(where: str, parameter: inspect.Parameter, prop: Property) -> inspect.Parameter:
    wanted = parameter.annotation
    optional = type(None) in get_args(wanted)
    base = next(a for a in get_args(wanted) if a is not type(None)) if optional else wanted
    if _PYTHON_TYPES.get(prop.kind) != base:
        name = base.__name__ if isinstance(base, type) else str(base)
        raise SpecError(f"{where}: the spec declares a {prop.kind}, the server reads a {name}")
    if prop.has_default:
        default = prop.default
    elif prop.required:
        default = inspect.Parameter.empty
    elif optional:
        default = None
    else:
        raise SpecError(f"{where}: the server needs a value; give it a default or make it required")
    value, declaration = _value(where, prop)
    if default is None:
        value = value | None
    return parameter.replace(annotation=_Annotated[value, declaration], default=default)


def _unimplemented(where: str, prop: Property) -> inspect.Parameter | None:
    """A parameter only checked against the spec's bounds, its value unused; None
    when FastAPI cannot take it as an argument name (it is then ignored, as before)."""
    if not prop.name.isidentifier() or keyword.iskeyword(prop.name):
        return None
    try:
        value, declaration = _value(where, prop)
    except SpecError:
        return None
    if prop.required:
        default: Any = inspect.Parameter.empty
    else:
        default = prop.default if prop.has_default else None
        value = value | None
    return inspect.Parameter(
        prop.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=_Annotated[value, declaration],
        default=default,
    )


def _value(where: str, prop: Property) -> tuple[Any, Any]:
    """The type of the parameter's value, and FastAPI's declaration of its bounds.

    A scalar's bounds go in `Query(...)`, as a hand-written signature would
    put them; an array's item limits go on the item type (errors name the
    item: `query.role.1`) and its `minItems`/`maxItems` in `Query(...)`.
    """
    limits = prop.limits
    if prop.kind == "list":
        item = scalar_type(where, "text", limits)
        return _list[item], Query(min_length=prop.min_items, max_length=prop.max_items)
    if prop.kind in STRING_KINDS or prop.kind == "instant":
        bounds = Query(
            min_length=limits.min_length, max_length=limits.max_length, pattern=limits.pattern
        )
        return _text(limits), bounds
    if prop.kind == "integer":
        return int, Query(ge=limits.minimum, le=limits.maximum)
    if prop.kind == "flag":
        return bool, Query()
    raise SpecError(f"{where}: a {prop.kind} query parameter is not supported")


def _text(limits: Limits) -> Any:
    if limits.enum is not None:
        return enum_type(limits.enum)
    return _Annotated[str, AfterValidator(check_email)] if limits.email else str
