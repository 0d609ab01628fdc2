"""Responses into the generated models: the response side of the facade.

Loaded on first use (`_lazy.parsing`), not with `import users_sdk`: it brings in
the generated attrs models and attrs.

msgspec decodes a response straight into the generated model
(users_api_client.sdk.structs, written by `make generate`), checking every
type on the way; fields and enum values the API added later it learns, and
then takes at the same speed (users_sdk._typed_decode). What it refuses (a
wrong type, a missing field), or everything where msgspec is not installed,
goes to the builders (users_api_client.sdk.builders), which build a model in
one pass and keep what a newer API adds too: fields the spec does not know go
to `additional_properties`, enum values it does not know stay plain strings.
Anything they refuse too, the general path here explains: an
UnexpectedResponseError naming the field, or the generated `from_dict`'s
own answer for what it accepts and the builder does not. With
strict_responses=False (`strict=False` here) that path parses a missing or
mistyped field anyway (users_sdk._tolerance); the faster paths before it
never see such a body, so the flag costs them nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from users_api_client.models import Problem
from users_api_client.sdk.builders import FIELD_ERROR, PROBLEM, SHAPES, Shape

try:
    # The typed decode in C (msgspec); without msgspec, the builders' path
    # alone (the same results, slower).
    from users_api_client.sdk import structs

    from ._typed_decode import TypedDecoder
except ImportError:
    structs = None  # type: ignore[assignment]

from . import _json
from ._exceptions import UnexpectedResponseError
from ._tolerance import describe, is_instant, mistyped, repair

if TYPE_CHECKING:
    from users_api_client.sdk.call import Page

__all__ = ["decode_json", "parse_cast", "parse_model", "parse_page", "parse_problem"]

# The typed decode of the models that have one (None without msgspec).
_TYPED: TypedDecoder | None = TypedDecoder(structs.STRUCTS) if structs else None

_T = TypeVar("_T")


def decode_json(response: httpx2.Response) -> Any:
    try:
        return _json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as error:
        raise UnexpectedResponseError(
            f"the body is not valid JSON ({error})",
            response=response,
            body=_text_excerpt(response),
        ) from None
    except RecursionError:
        # json.loads recurses per level: a body such as "[[[[..." 100,000 deep
        # (no answer this API gives) would otherwise escape as a RecursionError.
        raise UnexpectedResponseError(
            "the body is JSON nested too deeply to decode",
            response=response,
            body=_text_excerpt(response),
        ) from None


def parse_model(name: str, response: httpx2.Response, *, strict: bool = True) -> Any:
    """The model `name` (User, Invitation, ...) an operation answers with."""
    return _parse_one(name, SHAPES[name], response, strict)


def parse_cast(cast_to: Any, response: httpx2.Response, *, strict: bool = True) -> Any:
    """client.request(): the decoded JSON (None for no body), or the model `cast_to`."""
    if cast_to is None:
        return decode_json(response) if response.content else None
    shape = SHAPES.get(cast_to.__name__)
    if shape is not None and shape.model is cast_to:
        return parse_model(cast_to.__name__, response, strict=strict)
    data = decode_json(response)
    try:
        return cast_to.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise UnexpectedResponseError(
            f"the answer is not a {cast_to.__name__} ({type(error).__name__}: {error})",
            response=response,
            body=data,
        ) from None


def _parse_one(name: str, shape: Shape[_T], response: httpx2.Response, strict: bool) -> _T:
    """One model: the typed decode, else the builder, else the general path."""
    typed = _TYPED.decode(name, response.content) if _TYPED is not None else None
    if typed is not None:
        return typed  # type: ignore[no-any-return]
    data = decode_json(response)
    built = shape.build(data)
    return built if built is not None else _parse(shape, data, response, strict)


def parse_page(
    page: Page, response: httpx2.Response, *, strict: bool = True
) -> tuple[list[Any], str | None, str | None]:
    """The items of one page, its next cursor and its previous cursor. The
    page's own fields stay strict either way: a cursor read as None would end
    a listing early without a word."""
    typed = _TYPED.decode(page.model, response.content) if _TYPED is not None else None
    if typed is not None:
        return (
            getattr(typed, page.items),
            getattr(typed, page.next_cursor),
            getattr(typed, page.previous_cursor, None),
        )
    data = decode_json(response)
    if not isinstance(data, dict):
        raise UnexpectedResponseError("a page must be a JSON object", response=response, body=data)
    items = data.get(page.items)
    if not isinstance(items, list):
        raise UnexpectedResponseError(
            f"the page has no list of {page.items}", response=response, body=data
        )
    next_cursor = data.get(page.next_cursor)
    previous_cursor = data.get(page.previous_cursor)
    for name, cursor in ((page.next_cursor, next_cursor), (page.previous_cursor, previous_cursor)):
        if cursor is not None and not isinstance(cursor, str):
            raise UnexpectedResponseError(
                f"{name} must be a string or null", response=response, body=data
            )
    shape = SHAPES[page.item]
    models = shape.build_list(items)
    if models is None:  # an item does not match the spec: each one on its own
        build = shape.build
        models = [
            model if (model := build(item)) is not None else _parse(shape, item, response, strict)
            for item in items
        ]
    return models, next_cursor, previous_cursor


def parse_problem(body: Any) -> Problem | None:
    """The problem document in an error body, or None when it is not one."""
    problem = PROBLEM.build(body)
    if problem is not None or not isinstance(body, dict):
        return problem
    if _type_errors(PROBLEM, body):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and not all(
        isinstance(e, dict) and not _type_errors(FIELD_ERROR, e) for e in errors
    ):
        return None
    try:
        return Problem.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None


def _text_excerpt(response: httpx2.Response) -> str:
    return response.content[:2000].decode("utf-8", errors="replace")


def _type_errors(shape: Shape[Any], data: dict[str, Any]) -> list[str]:
    """Fields of `data` whose JSON type is not one the spec gives (a JSON
    true or false is no integer or number, though Python's bool is an int)."""
    problems = [
        f"field {name!r} should be {describe(expected)}, got {type(data[name]).__name__}"
        for name, expected in shape.json_types.items()
        if name in data and mistyped(data[name], expected)
    ]
    for name in shape.instants:
        value = data.get(name)
        if isinstance(value, str) and not is_instant(value):
            problems.append(f"field {name!r} should be an RFC 3339 date-time, got {value!r}")
    return problems


def _parse(shape: Shape[_T], data: Any, response: httpx2.Response, strict: bool = True) -> _T:
    """The general path, for data the builder refused: explain it, or accept
    what the generated from_dict accepts; not strict, repair what breaks
    the spec field by field first (users_sdk._tolerance)."""
    name = shape.model.__name__
    if not isinstance(data, dict):
        raise UnexpectedResponseError(
            f"expected a {name} object, got {type(data).__name__}", response=response, body=data
        )
    body = data
    repaired: dict[str, Any] = {}
    if not strict:
        data, repaired = repair(shape, data)
    problems = _type_errors(shape, data)
    if problems:
        raise UnexpectedResponseError(
            f"{name}: {'; '.join(problems)}", response=response, body=body
        )
    # from_dict refuses enum values it does not know: parse with a known value
    # in place, then put the new one back, so a value the API added later does
    # not make the whole object unreadable.
    unknown = {
        field: value
        for field, allowed in shape.enums.items()
        if isinstance(value := data.get(field), str) and value not in allowed
    }
    known = {**data, **{field: min(shape.enums[field]) for field in unknown}}
    try:
        parsed: _T = shape.model.from_dict(known)  # type: ignore[attr-defined]
    except KeyError as missing:
        raise UnexpectedResponseError(
            f"{name}: the required field {missing} is missing", response=response, body=body
        ) from None
    except (TypeError, ValueError, AttributeError, OverflowError) as error:
        raise UnexpectedResponseError(f"{name}: {error}", response=response, body=body) from None
    for field, value in unknown.items():
        setattr(parsed, shape.attributes[field], value)
    for attribute, value in repaired.items():
        setattr(parsed, attribute, value)
    return parsed
