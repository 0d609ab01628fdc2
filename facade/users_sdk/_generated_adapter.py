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

import json
import typing
from typing import Any, TypeVar

import httpx

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
from ._fast_builder import fast_builder
from ._model_types import check_types, literal_fields, type_errors

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
    except RecursionError:
        # json.loads recurses per level: a body such as "[[[[..." 100,000 deep
        # (no answer this API gives) would otherwise escape as a RecursionError.
        raise UnexpectedResponseError(
            "the body is JSON nested too deeply to decode",
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
    build = fast_builder(User)
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
        check_types(Problem, body)
        errors = body.get("errors")
        if errors is not None and not all(
            isinstance(e, dict) and not type_errors(FieldError, e) for e in errors
        ):
            return None
        return Problem.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _text_excerpt(response: httpx.Response) -> str:
    return response.content[:2000].decode("utf-8", errors="replace")


def _user_from_dict(data: Any, response: httpx.Response) -> User:
    build = fast_builder(User)
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
    for name, allowed in literal_fields(User).items():
        value = data.get(name)
        if isinstance(value, str) and value not in allowed:
            unknown[name] = (value, min(allowed))
    return unknown


def _model_from_dict(model: type[_Model], data: Any, response: httpx.Response) -> _Model:
    build = fast_builder(typing.cast(type, model))
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
    problems = type_errors(model, data)
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
