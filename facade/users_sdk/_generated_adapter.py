"""The one module that imports the generated client (`users_api_client`).

The facade uses the generated code for what it does well: building each
operation's request (path templates and their encoding, query serialisation,
headers) and the attrs models. It does not use the generated `sync_detailed`
functions, because they cannot take a per-call timeout or retry, and they crash
on responses outside the spec (`HTTPStatus(520)`, an HTML error page, an enum
value added to the API after this client was generated).

Parsing here is forward compatible: fields the spec does not know are kept in
`additional_properties`, and enum values it does not know are kept as plain
strings. Anything else that does not match the spec raises
UnexpectedResponseError naming the field.

This module is imported on first use, not with `import users_sdk`, so that
importing the SDK stays as cheap as importing httpx.
"""

from __future__ import annotations

import datetime
import json
import sys
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import attrs
import httpx

from users_api_client import models as _models
from users_api_client.api.users import (
    create_user,
    delete_user,
    get_current_user,
    get_user,
    invite_user,
    list_users,
    reset_user_password,
    set_user_password,
    update_user,
)
from users_api_client.models import (
    FieldError,
    Invitation,
    Metadata,
    PasswordResetRequest,
    PasswordSet,
    Problem,
    User,
    UserCreate,
    UserUpdate,
)
from users_api_client.models.user_role import UserRole
from users_api_client.models.user_status import UserStatus
from users_api_client.types import UNSET

from ._exceptions import UnexpectedResponseError

__all__ = [
    "FieldError",
    "Invitation",
    "Metadata",
    "Problem",
    "User",
    "UserCreate",
    "UserRole",
    "UserStatus",
    "UserUpdate",
]

RequestArgs = dict[str, Any]
_Model = TypeVar("_Model")


class _JSONBody:
    """A request body the generated `_get_kwargs` can serialise with to_dict().

    The facade validates types itself and passes unknown keys through, so that
    values added to the API after this client was generated can still be sent.
    """

    __slots__ = ("_payload",)

    def __init__(self, payload: dict[str, Any]) -> None:
        self._payload = payload

    def to_dict(self) -> dict[str, Any]:
        return self._payload


def _given(value: Any) -> Any:
    return UNSET if value is None else value


# ---- requests -------------------------------------------------------------------


def list_users_request(
    *,
    limit: int,
    cursor: str | None,
    sort: str | None,
    role: list[str] | None,
    status: list[str] | None,
    q: str | None,
    email_domain: str | None,
    group: str | None,
    created_after: Any,
    created_before: Any,
    account_id: str | None,
) -> RequestArgs:
    args: RequestArgs = list_users._get_kwargs(
        limit=limit,
        cursor=_given(cursor),
        sort=_given(sort),
        role=_given(role),
        status=_given(status),
        q=_given(q),
        email_domain=_given(email_domain),
        group=_given(group),
        created_after=_given(created_after),
        created_before=_given(created_before),
        account_id=_given(account_id),
    )
    if sort is None:
        # Let the server apply its documented default instead of the generator's copy of it.
        args["params"].pop("sort", None)
    return args


def create_user_request(payload: dict[str, Any], idempotency_key: str) -> RequestArgs:
    args: RequestArgs = create_user._get_kwargs(
        body=_JSONBody(payload),  # type: ignore[arg-type]
        idempotency_key=idempotency_key,
    )
    return args


def get_current_user_request() -> RequestArgs:
    args: RequestArgs = get_current_user._get_kwargs()
    return args


def get_user_request(user_id: str) -> RequestArgs:
    args: RequestArgs = get_user._get_kwargs(user_id)
    return args


def update_user_request(
    user_id: str, payload: dict[str, Any], if_match: str | None, idempotency_key: str
) -> RequestArgs:
    args: RequestArgs = update_user._get_kwargs(
        user_id,
        body=_JSONBody(payload),  # type: ignore[arg-type]
        if_match=_given(if_match),
        idempotency_key=idempotency_key,
    )
    return args


def delete_user_request(user_id: str, idempotency_key: str) -> RequestArgs:
    args: RequestArgs = delete_user._get_kwargs(user_id, idempotency_key=idempotency_key)
    return args


def invite_user_request(user_id: str, idempotency_key: str) -> RequestArgs:
    args: RequestArgs = invite_user._get_kwargs(user_id, idempotency_key=idempotency_key)
    return args


def reset_user_password_request(email: str, idempotency_key: str) -> RequestArgs:
    args: RequestArgs = reset_user_password._get_kwargs(
        body=PasswordResetRequest(email=email), idempotency_key=idempotency_key
    )
    return args


def set_user_password_request(reset_token: str, password: str, idempotency_key: str) -> RequestArgs:
    args: RequestArgs = set_user_password._get_kwargs(
        body=PasswordSet(reset_token=reset_token, password=password),
        idempotency_key=idempotency_key,
    )
    return args


# ---- responses ------------------------------------------------------------------


def decode_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as error:
        raise UnexpectedResponseError(
            f"the body is not valid JSON ({error})",
            response=response,
            body=_text_excerpt(response),
        ) from None


def parse_user(response: httpx.Response) -> User:
    return _user_from_dict(decode_json(response), response)


def parse_invitation(response: httpx.Response) -> Invitation:
    return _model_from_dict(Invitation, decode_json(response), response)


def parse_user_page(
    response: httpx.Response,
) -> tuple[list[User], str | None, str | None]:
    """The users of one page, its next cursor and its previous cursor."""
    data = decode_json(response)
    if not isinstance(data, dict):
        raise UnexpectedResponseError("a page must be a JSON object", response=response, body=data)
    items = data.get("items")
    if not isinstance(items, list):
        raise UnexpectedResponseError("the page has no list of items", response=response, body=data)
    next_cursor = data.get("next_cursor")
    previous_cursor = data.get("previous_cursor")
    for name, cursor in (("next_cursor", next_cursor), ("previous_cursor", previous_cursor)):
        if cursor is not None and not isinstance(cursor, str):
            raise UnexpectedResponseError(
                f"{name} must be a string or null", response=response, body=data
            )
    build = _fast_builder(User)
    if build is None:
        users = [_user_from_dict(item, response) for item in items]
    else:
        users = [
            user if (user := build(item)) is not None else _user_from_dict(item, response)
            for item in items
        ]
    return users, next_cursor, previous_cursor


def parse_problem(body: Any) -> Problem | None:
    """The problem document in an error body, or None when it is not one."""
    if not isinstance(body, dict):
        return None
    try:
        _check_types(Problem, body)
        errors = body.get("errors")
        if errors is not None and not all(
            isinstance(e, dict) and not _type_errors(FieldError, e) for e in errors
        ):
            return None
        return Problem.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _text_excerpt(response: httpx.Response) -> str:
    return response.content[:2000].decode("utf-8", errors="replace")


def _user_from_dict(data: Any, response: httpx.Response) -> User:
    build = _fast_builder(User)
    if build is not None:
        user: User | None = build(data)
        if user is not None:
            return user
    if isinstance(data, dict):
        unknown = _unknown_enum_values(data)
        if unknown:
            # Parse with a known value in place, then put the unknown one back:
            # a value the API added later must not make the whole user unreadable.
            known = dict(data)
            for name, (_, placeholder) in unknown.items():
                known[name] = placeholder
            with_placeholders = _model_from_dict(User, known, response)
            for name, (value, _) in unknown.items():
                setattr(with_placeholders, name, value)
            return with_placeholders
    return _model_from_dict(User, data, response)


def _unknown_enum_values(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    unknown = {}
    for name, allowed in _literal_fields(User).items():
        value = data.get(name)
        if isinstance(value, str) and value not in allowed:
            unknown[name] = (value, min(allowed))
    return unknown


def _model_from_dict(model: type[_Model], data: Any, response: httpx.Response) -> _Model:
    build = _fast_builder(typing.cast(type, model))
    if build is not None:
        fast: _Model | None = build(data)
        if fast is not None:
            return fast
    if not isinstance(data, dict):
        raise UnexpectedResponseError(
            f"expected a {model.__name__} object, got {type(data).__name__}",
            response=response,
            body=data,
        )
    problems = _type_errors(model, data)
    if problems:
        raise UnexpectedResponseError(
            f"{model.__name__}: {'; '.join(problems)}", response=response, body=data
        )
    try:
        parsed: _Model = model.from_dict(data)  # type: ignore[attr-defined]
    except KeyError as missing:
        raise UnexpectedResponseError(
            f"{model.__name__}: the required field {missing} is missing",
            response=response,
            body=data,
        ) from None
    except (TypeError, ValueError, AttributeError, OverflowError) as error:
        raise UnexpectedResponseError(
            f"{model.__name__}: {error}", response=response, body=data
        ) from None
    return parsed


def _check_types(model: type[Any], data: dict[str, Any]) -> None:
    problems = _type_errors(model, data)
    if problems:
        raise TypeError("; ".join(problems))


def _type_errors(model: type, data: dict[str, Any]) -> list[str]:
    """Fields of `data` whose JSON type is not the one the spec gives."""
    return [
        f"field {name!r} should be {_describe(expected)}, got {type(data[name]).__name__}"
        for name, expected in _json_types(model).items()
        if name in data and not isinstance(data[name], expected)
    ]


def _describe(expected: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
             list: "an array", dict: "an object", type(None): "null"}  # fmt: skip
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in expected))


@cache
def _json_types(model: type) -> dict[str, tuple[type, ...]]:
    """For each field of a generated model, the JSON types its value may have.

    Read from the attrs annotations (strings such as "None | str" or
    "list[str]"), so fields added by a regeneration are checked too.
    """
    namespace = vars(sys.modules[model.__module__])
    table: dict[str, tuple[type, ...]] = {}
    for field in attrs.fields(model):
        if field.name == "additional_properties" or not isinstance(field.type, str):
            continue
        allowed: list[type] = []
        for token in field.type.split(" | "):
            json_type = _json_type_of(token.strip(), namespace)
            if json_type is None:
                break
            allowed.extend(json_type)
        else:
            if allowed:
                table[field.name] = tuple(dict.fromkeys(allowed))
    return table


def _json_type_of(token: str, namespace: dict[str, Any]) -> tuple[type, ...] | None:
    simple: dict[str, tuple[type, ...]] = {
        "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
        "None": (type(None),), "Unset": (), "datetime.datetime": (str,),
        "datetime.date": (str,), "Any": (object,),
    }  # fmt: skip
    if token in simple:
        return simple[token]
    if token.startswith("list["):
        return (list,)
    if token.startswith("dict["):
        return (dict,)
    target = namespace.get(token)
    if typing.get_origin(target) is typing.Literal:
        return (str,)
    if isinstance(target, type) or token[:1].isupper():
        # Another generated model (imported under TYPE_CHECKING): a JSON object.
        return (dict,)
    return None


@cache
def _literal_fields(model: type) -> dict[str, frozenset[str]]:
    """Fields typed by a Literal (a spec enum), with their known values."""
    namespace = vars(sys.modules[model.__module__])
    table = {}
    for field in attrs.fields(model):
        if not isinstance(field.type, str):
            continue
        for token in field.type.split(" | "):
            target = namespace.get(token.strip())
            if typing.get_origin(target) is typing.Literal:
                table[field.name] = frozenset(typing.get_args(target))
    return table


# ---- the fast path for clean data -----------------------------------------------
#
# Parsing a page of 100 users the general way (check every field's JSON type,
# look for unknown enum values, then the generated from_dict, which copies the
# dict, pops each key and defines a closure per nullable field) cost about 4x
# json.loads itself, and made auto-pagination 2.5x a raw-httpx loop. Nearly
# every response is clean: every field present with its spec type and a known
# enum value. For those, one straight-line function per model, written from
# the attrs fields of the generated class (as attrs writes its own __init__),
# checks and builds the model in a single pass.
#
# It only ever *accepts* clean data: anything else (a missing field, a wrong
# type, an unknown enum value, an unparseable date-time, a field type it does
# not handle) makes it return None, and the general path above then produces
# exactly the result or error it always did. Before first use it checks itself
# against the generated from_dict on sample data, and is not used for a model
# whose sample results differ, so a regenerated client can never be parsed
# differently by the two paths.

_FastBuilder = Callable[[Any], Any]
# The JSON value each annotation accepts, as an expression over the value `{v}`.
# Exact types: json.loads only makes these, and anything else (a bool where an
# int is due, say) is left to the general path, whose answer stays the rule.
_PLAIN_CHECKS: dict[str, str] = {
    "str": "type({v}) is str",
    "int": "type({v}) is int",
    "bool": "type({v}) is bool",
    "None": "{v} is None",
    "list[str]": "type({v}) is list",
}
_SAMPLES: dict[str, Any] = {"str": "x", "int": 7, "bool": True, "list[str]": ["x"]}
_SAMPLE_INSTANT = "2026-01-02T03:04:05+00:00"


class _Unsupported(Exception):
    """A field the fast path does not handle: the model keeps the general path."""


@cache
def _fast_builder(model: type) -> _FastBuilder | None:
    """The fast builder of `model`, or None when it has none (see above)."""
    try:
        build, sample = _compile_builder(model)
        if not _agrees_with_from_dict(model, build, sample):
            return None
    except _Unsupported:
        return None
    return build


def _compile_builder(model: type) -> tuple[_FastBuilder, dict[str, Any]]:
    """A function data -> model | None, and a clean sample to check it with."""
    hooks = ("__attrs_pre_init__", "__attrs_post_init__")
    if not attrs.has(model) or any(hasattr(model, hook) for hook in hooks):
        raise _Unsupported(model.__name__)
    module_namespace = vars(sys.modules[model.__module__])
    namespace: dict[str, Any] = {
        "cls": model,
        "new": object.__new__,
        "fromiso": datetime.datetime.fromisoformat,
    }
    fetch: list[str] = []  # read every field (a missing one: not clean)
    checks: list[str] = []  # one condition per field that must hold
    instants: list[str] = []  # date-time strings to parse
    nested: list[str] = []  # nested models, built by their own fast builder
    assign: list[tuple[str, str]] = []  # (attribute, variable)
    sample: dict[str, Any] = {}
    for index, field in enumerate(attrs.fields(model)):
        if field.name == "additional_properties":
            continue
        if not field.init or field.validator is not None or field.converter is not None:
            raise _Unsupported(field.name)
        if not isinstance(field.type, str) or not field.name.isidentifier():
            raise _Unsupported(field.name)
        var = f"v{index}"
        assign.append((field.name, var))
        fetch.append(f"        {var} = data[{field.name!r}]")
        tokens = [token.strip() for token in field.type.split(" | ")]
        nullable = "None" in tokens
        rest = [token for token in tokens if token != "None"]
        if all(token in _PLAIN_CHECKS for token in tokens):
            either = " or ".join(_PLAIN_CHECKS[token].format(v=var) for token in tokens)
            checks.append(f"({either})" if len(tokens) > 1 else either)
            sample[field.name] = _SAMPLES[rest[0]] if rest else None
        elif rest == ["datetime.datetime"]:
            # fromisoformat raises TypeError for a non-string, ValueError for a bad one.
            parse = f"fromiso({var})"
            instants.append(
                f"        {var} = " + (f"None if {var} is None else {parse}" if nullable else parse)
            )
            sample[field.name] = _SAMPLE_INSTANT
        elif len(rest) == 1 and not nullable:
            target = module_namespace.get(rest[0])
            if typing.get_origin(target) is typing.Literal:
                values = frozenset(typing.get_args(target))
                if not values or not all(isinstance(value, str) for value in values):
                    raise _Unsupported(field.name)
                namespace[f"E{index}"] = values
                checks.append(f"type({var}) is str and {var} in E{index}")
                sample[field.name] = min(values)
            else:
                model_class = getattr(_models, rest[0], None)
                nested_build = _fast_builder(model_class) if isinstance(model_class, type) else None
                if nested_build is None:
                    raise _Unsupported(field.name)
                if _is_free_form(model_class):
                    # Built in line (a call less per item): all its fast builder does.
                    namespace[f"M{index}"] = model_class
                    checks.append(f"type({var}) is dict")
                    nested.append(
                        f"    m = new(M{index})\n"
                        f"    m.additional_properties = dict({var})\n"
                        f"    {var} = m"
                    )
                else:
                    namespace[f"B{index}"] = nested_build
                    nested.append(
                        f"    {var} = B{index}({var})\n    if {var} is None:\n        return None"
                    )
                sample[field.name] = {"label": "x"}
        else:
            raise _Unsupported(field.name)
    namespace["KNOWN"] = frozenset(name for name, _ in assign)

    lines = ["def build(data):", "    if type(data) is not dict:", "        return None"]
    if fetch:
        lines += ["    try:", *fetch, "    except KeyError:", "        return None"]
    if checks:
        lines += [
            "    if not (",
            "        " + "\n        and ".join(checks),
            "    ):",
            "        return None",
        ]
    if instants:
        lines += [
            "    try:",
            *instants,
            "    except (TypeError, ValueError):",
            "        return None",
        ]
    lines += nested
    if model.__setattr__ is object.__setattr__:
        # No validators, converters, hooks or frozen fields (checked above):
        # setting the attributes is all the attrs __init__ would do.
        lines += ["    obj = new(cls)"] + [f"    obj.{name} = {var}" for name, var in assign]
    else:
        arguments = ", ".join(f"{name}={var}" for name, var in assign)
        lines += [f"    obj = cls({arguments})"]
    if assign:
        lines += [
            f"    if len(data) == {len(assign)}:",
            "        obj.additional_properties = {}",
            "    else:",
            "        obj.additional_properties = {k: v for k, v in data.items() if k not in KNOWN}",
        ]
    else:  # a free-form map such as Metadata: everything is an additional property
        lines += ["    obj.additional_properties = dict(data)"]
    lines += ["    return obj"]
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<users_sdk fast builder of {model.__name__}>", "exec"), namespace)
    build: _FastBuilder = namespace["build"]
    build.__doc__ = source
    return build, sample


def _is_free_form(model: Any) -> bool:
    """A model that is only a map of additional properties (such as Metadata)."""
    return model.__setattr__ is object.__setattr__ and all(
        field.name == "additional_properties" for field in attrs.fields(model)
    )


def _agrees_with_from_dict(model: type, build: _FastBuilder, sample: dict[str, Any]) -> bool:
    """Whether the fast builder and the generated from_dict agree on sample data."""
    variants = [
        {**sample, "x_added_later": "kept"},
        {key: None if key in _nullable_fields(model) else value for key, value in sample.items()},
    ]
    for data in variants:
        try:
            expected = model.from_dict(json.loads(json.dumps(data)))  # type: ignore[attr-defined]
            got = build(json.loads(json.dumps(data)))
        except Exception:  # any disagreement, even a crash, disables the fast path
            return False
        if got is None or got != expected:
            return False
        for field in attrs.fields(model):
            if type(getattr(got, field.name)) is not type(getattr(expected, field.name)):
                return False
    return True


def _nullable_fields(model: type) -> frozenset[str]:
    return frozenset(
        field.name
        for field in attrs.fields(model)
        if isinstance(field.type, str) and "None" in [t.strip() for t in field.type.split("|")]
    )


# Names re-exported by users_sdk, resolved on first access.
PUBLIC_MODELS: dict[str, Any] = {
    "FieldError": FieldError,
    "Invitation": Invitation,
    "Metadata": Metadata,
    "Problem": Problem,
    "User": User,
    "UserCreate": UserCreate,
    "UserRole": UserRole,
    "UserStatus": UserStatus,
    "UserUpdate": UserUpdate,
}
