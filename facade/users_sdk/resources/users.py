"""`client.users`: every user operation, sync (Users) and async (AsyncUsers).

The twins share everything but the sending: `_Requests` checks the arguments
and builds each request and its parser; the twins only send it.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, Unpack

import httpx

from .. import _validation as check
from .._base_client import _adapter
from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from .._pagination import AsyncPage, AsyncPaginator, SyncPage
from .._params import UserCreateParams, UserRole, UserStatus, UserUpdateParams
from .._response import to_async_raw_response, to_raw_response
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from .._client import AsyncUsersClient, UsersClient
    from .._generated_adapter import Invitation, User

__all__ = ["AsyncUsers", "Users"]

RequestArgs: TypeAlias = dict[str, Any]
Instant: TypeAlias = datetime.datetime | str

# Which fields are nullable (None clears them); the others must have a value.
_NULLABLE = frozenset({"first_name", "last_name", "username", "phone", "department", "account_id"})
_TEXT = frozenset({"email", "display_name", "role", "status"}) | _NULLABLE
_LISTS = frozenset({"groups", "permissions"})
_FLAGS = frozenset({"is_service_user", "send_invite"})


def _user_payload(name: str, body: object, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of create/update from a dict or model and keyword fields.

    Keyword fields win over the body. Known fields are type-checked; unknown
    ones pass through untouched, for fields the API gained after this SDK.
    """
    payload = check.body_mapping(name, body) if body is not None else {}
    payload.update(fields)
    for key, value in payload.items():
        if value is None:
            if key not in _NULLABLE and (key in _TEXT or key in _LISTS or key in _FLAGS):
                raise InvalidArgumentTypeError(
                    f"{key} cannot be None; leave it out to keep the current value"
                )
        elif key in _TEXT:
            check.text(key, value)
        elif key in _LISTS:
            payload[key] = check.string_list(key, value)
        elif key in _FLAGS:
            check.boolean(key, value)
        elif key == "metadata":
            payload[key] = check.string_map(key, value)
    return payload


def _idempotency_key(value: str | None) -> str:
    if value is None:
        return str(uuid.uuid4())
    if not isinstance(value, str):
        raise InvalidArgumentTypeError(f"idempotency_key must be a str, not {type(value).__name__}")
    if not 1 <= len(value) <= 255 or not value.isascii() or not value.isprintable():
        raise InvalidArgumentError("idempotency_key must be 1 to 255 printable ASCII characters")
    return value


def _if_match(value: int | str | None) -> str | None:
    """`If-Match` from a version (3) or an ETag ('"3"')."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidArgumentTypeError(
            f"if_match must be the user's version (int) or ETag (str), not {check.brief(value)}"
        )
    if isinstance(value, int):
        # Versions are 64-bit; formatting an int of 5,000 digits raised ValueError.
        if not 0 <= value < 2**63:
            raise InvalidArgumentError("if_match must be a version from 0 to 2**63 - 1")
        return f'"{value}"'
    if not value or not value.isascii() or not value.isprintable():
        raise InvalidArgumentError(f"if_match {check.brief(value)} is not an ETag or a version")
    return value


def _returns_none(_: httpx.Response) -> None:
    return None


class _Requests:
    """Argument checks and request building, shared by the sync and async twins."""

    @staticmethod
    def create(body: object, fields: Mapping[str, Any], idempotency_key: str | None) -> RequestArgs:
        payload = _user_payload("UserCreate", body, fields)
        if "email" not in payload:
            raise InvalidArgumentError("email is required to create a user")
        args: RequestArgs = _adapter().create_user_request(
            payload, _idempotency_key(idempotency_key)
        )
        return args

    @staticmethod
    def update(
        user_id: str,
        body: object,
        fields: Mapping[str, Any],
        if_match: int | str | None,
        idempotency_key: str | None,
    ) -> RequestArgs:
        user_id = check.user_id(user_id)
        payload = _user_payload("UserUpdate", body, fields)
        if "send_invite" in payload:
            raise InvalidArgumentError("send_invite only applies to create; use invite()")
        args: RequestArgs = _adapter().update_user_request(
            user_id, payload, _if_match(if_match), _idempotency_key(idempotency_key)
        )
        return args

    @staticmethod
    def list_query(
        *,
        limit: int,
        sort: str | None,
        role: UserRole | Sequence[UserRole] | None,
        status: UserStatus | Sequence[UserStatus] | None,
        q: str | None,
        email_domain: str | None,
        group: str | None,
        created_after: Instant | None,
        created_before: Instant | None,
        account_id: str | None,
    ) -> dict[str, Any]:
        """The filters and sort, checked once and reused for every page."""
        return {
            "limit": check.limit(limit),
            "sort": check.non_empty("sort", sort) if sort is not None else None,
            "role": check.one_or_many("role", role) if role is not None else None,
            "status": check.one_or_many("status", status) if status is not None else None,
            "q": check.non_empty("q", q) if q is not None else None,
            "email_domain": (
                check.non_empty("email_domain", email_domain).lstrip("@")
                if email_domain is not None
                else None
            ),
            "group": check.non_empty("group", group) if group is not None else None,
            "created_after": (
                check.instant("created_after", created_after) if created_after is not None else None
            ),
            "created_before": (
                check.instant("created_before", created_before)
                if created_before is not None
                else None
            ),
            "account_id": (
                check.non_empty("account_id", account_id) if account_id is not None else None
            ),
        }

    @staticmethod
    def list_page(query: Mapping[str, Any], cursor: str | None) -> RequestArgs:
        if cursor is not None:
            check.non_empty("cursor", cursor)
        args: RequestArgs = _adapter().list_users_request(cursor=cursor, **query)
        return args

    @staticmethod
    def reset_password(email: str, idempotency_key: str | None) -> RequestArgs:
        args: RequestArgs = _adapter().reset_user_password_request(
            check.non_empty("email", email), _idempotency_key(idempotency_key)
        )
        return args

    @staticmethod
    def set_password(reset_token: str, password: str, idempotency_key: str | None) -> RequestArgs:
        args: RequestArgs = _adapter().set_user_password_request(
            check.non_empty("reset_token", reset_token),
            check.non_empty("password", password),
            _idempotency_key(idempotency_key),
        )
        return args


def _parse_user(response: httpx.Response) -> User:
    user: User = _adapter().parse_user(response)
    return user


def _parse_invitation(response: httpx.Response) -> Invitation:
    invitation: Invitation = _adapter().parse_invitation(response)
    return invitation


class Users:
    """User accounts: `client.users` of a UsersClient."""

    def __init__(self, client: UsersClient) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> UsersWithRawResponse:
        """The same methods, returning an APIResponse (status, headers, request id)."""
        return UsersWithRawResponse(self)

    def create(
        self,
        body: Mapping[str, Any] | object | None = None,
        /,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        **fields: Unpack[UserCreateParams],
    ) -> User:
        """Create a user from keyword fields, a dict, or both (keywords win).

        >>> client.users.create(email="ada@example.com", role="admin")
        >>> client.users.create({"email": "bob@example.com"})

        Retries reuse one Idempotency-Key, so a lost response never creates a
        second user. Raises ConflictError (409) for a taken email or username.
        """
        args = _Requests.create(body, fields, idempotency_key)
        return self._client._request(args, _parse_user, timeout=timeout)

    def get(self, user_id: str, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> User:
        """One user by id. Raises NotFoundError (404) when there is none."""
        args = _adapter().get_user_request(check.user_id(user_id))
        return self._client._request(args, _parse_user, timeout=timeout)

    def me(self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> User:
        """The user the client's credential belongs to."""
        return self._client._request(
            _adapter().get_current_user_request(), _parse_user, timeout=timeout
        )

    def update(
        self,
        user_id: str,
        body: Mapping[str, Any] | object | None = None,
        /,
        *,
        if_match: int | str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        **fields: Unpack[UserUpdateParams],
    ) -> User:
        """Change some fields; fields left out stay, None clears a nullable one.

        >>> client.users.update(user.id, department="R&D", phone=None)
        >>> client.users.update(user.id, role="admin", if_match=user.version)

        With `if_match`, raises PreconditionFailedError (412) if the user
        changed since that version, instead of overwriting the change.
        """
        args = _Requests.update(user_id, body, fields, if_match, idempotency_key)
        return self._client._request(args, _parse_user, timeout=timeout)

    def delete(
        self,
        user_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete a user. ConflictError (409) for the last owner."""
        args = _adapter().delete_user_request(
            check.user_id(user_id), _idempotency_key(idempotency_key)
        )
        return self._client._request(args, _returns_none, timeout=timeout)

    def invite(
        self,
        user_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> Invitation:
        """(Re)send the invitation of an `invited` user (ConflictError otherwise)."""
        args = _adapter().invite_user_request(
            check.user_id(user_id), _idempotency_key(idempotency_key)
        )
        return self._client._request(args, _parse_invitation, timeout=timeout)

    def reset_password(
        self,
        email: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> None:
        """Send a reset token to `email` if a user has it (the API never says)."""
        args = _Requests.reset_password(email, idempotency_key)
        return self._client._request(args, _returns_none, timeout=timeout)

    def set_password(
        self,
        reset_token: str,
        password: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> None:
        """Set a new password with a reset token (BadRequestError if it is bad or used)."""
        args = _Requests.set_password(reset_token, password, idempotency_key)
        return self._client._request(args, _returns_none, timeout=timeout)

    def list(
        self,
        *,
        limit: int = 20,
        cursor: str | None = None,
        sort: str | None = None,
        role: UserRole | Sequence[UserRole] | None = None,
        status: UserStatus | Sequence[UserStatus] | None = None,
        q: str | None = None,
        email_domain: str | None = None,
        group: str | None = None,
        created_after: Instant | None = None,
        created_before: Instant | None = None,
        account_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> SyncPage[User]:
        """The first page of users matching every filter; iterate it for all of them.

        >>> for user in client.users.list(role=["admin", "owner"], sort="email:asc"):
        ...     print(user.email)

        `sort` is "field:asc|desc" pairs, comma-separated, over id, email,
        display_name, created_at, updated_at and last_login_at. Pass `cursor`
        to resume from a page's `next_cursor`.
        """
        query = _Requests.list_query(
            limit=limit, sort=sort, role=role, status=status, q=q, email_domain=email_domain,
            group=group, created_after=created_after, created_before=created_before,
            account_id=account_id,
        )  # fmt: skip
        return self._fetch_page(query, cursor, timeout)

    def _fetch_page(
        self, query: Mapping[str, Any], cursor: str | None, timeout: TimeoutTypes | NotGiven
    ) -> SyncPage[User]:
        def fetch(next_cursor: str) -> SyncPage[User]:
            return self._fetch_page(query, next_cursor, timeout)

        def parse(response: httpx.Response) -> SyncPage[User]:
            users, next_cursor, previous_cursor = _adapter().parse_user_page(response)
            return SyncPage(
                users, cursor=cursor, next_cursor=next_cursor, previous_cursor=previous_cursor,
                http_response=response, fetch=fetch,
            )  # fmt: skip

        return self._client._request(_Requests.list_page(query, cursor), parse, timeout=timeout)


class AsyncUsers:
    """User accounts: `client.users` of an AsyncUsersClient."""

    def __init__(self, client: AsyncUsersClient) -> None:
        self._client = client

    @property
    def with_raw_response(self) -> AsyncUsersWithRawResponse:
        return AsyncUsersWithRawResponse(self)

    async def create(
        self,
        body: Mapping[str, Any] | object | None = None,
        /,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        **fields: Unpack[UserCreateParams],
    ) -> User:
        """See Users.create."""
        args = _Requests.create(body, fields, idempotency_key)
        return await self._client._request(args, _parse_user, timeout=timeout)

    async def get(self, user_id: str, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> User:
        """See Users.get."""
        args = _adapter().get_user_request(check.user_id(user_id))
        return await self._client._request(args, _parse_user, timeout=timeout)

    async def me(self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> User:
        """See Users.me."""
        return await self._client._request(
            _adapter().get_current_user_request(), _parse_user, timeout=timeout
        )

    async def update(
        self,
        user_id: str,
        body: Mapping[str, Any] | object | None = None,
        /,
        *,
        if_match: int | str | None = None,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        **fields: Unpack[UserUpdateParams],
    ) -> User:
        """See Users.update."""
        args = _Requests.update(user_id, body, fields, if_match, idempotency_key)
        return await self._client._request(args, _parse_user, timeout=timeout)

    async def delete(
        self,
        user_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> None:
        """See Users.delete."""
        args = _adapter().delete_user_request(
            check.user_id(user_id), _idempotency_key(idempotency_key)
        )
        return await self._client._request(args, _returns_none, timeout=timeout)

    async def invite(
        self,
        user_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> Invitation:
        """See Users.invite."""
        args = _adapter().invite_user_request(
            check.user_id(user_id), _idempotency_key(idempotency_key)
        )
        return await self._client._request(args, _parse_invitation, timeout=timeout)

    async def reset_password(
        self,
        email: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> None:
        """See Users.reset_password."""
        args = _Requests.reset_password(email, idempotency_key)
        return await self._client._request(args, _returns_none, timeout=timeout)

    async def set_password(
        self,
        reset_token: str,
        password: str,
        *,
        idempotency_key: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> None:
        """See Users.set_password."""
        args = _Requests.set_password(reset_token, password, idempotency_key)
        return await self._client._request(args, _returns_none, timeout=timeout)

    def list(
        self,
        *,
        limit: int = 20,
        cursor: str | None = None,
        sort: str | None = None,
        role: UserRole | Sequence[UserRole] | None = None,
        status: UserStatus | Sequence[UserStatus] | None = None,
        q: str | None = None,
        email_domain: str | None = None,
        group: str | None = None,
        created_after: Instant | None = None,
        created_before: Instant | None = None,
        account_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[User]:
        """Await for the first page, or `async for` over every matching user.

        Arguments are checked at once; the first request is sent when the
        result is awaited or iterated. See Users.list.
        """
        query = _Requests.list_query(
            limit=limit, sort=sort, role=role, status=status, q=q, email_domain=email_domain,
            group=group, created_after=created_after, created_before=created_before,
            account_id=account_id,
        )  # fmt: skip
        return AsyncPaginator(lambda: self._fetch_page(query, cursor, timeout))

    async def _fetch_page(
        self, query: Mapping[str, Any], cursor: str | None, timeout: TimeoutTypes | NotGiven
    ) -> AsyncPage[User]:
        async def fetch(next_cursor: str) -> AsyncPage[User]:
            return await self._fetch_page(query, next_cursor, timeout)

        def parse(response: httpx.Response) -> AsyncPage[User]:
            users, next_cursor, previous_cursor = _adapter().parse_user_page(response)
            return AsyncPage(
                users, cursor=cursor, next_cursor=next_cursor, previous_cursor=previous_cursor,
                http_response=response, fetch=fetch,
            )  # fmt: skip

        return await self._client._request(
            _Requests.list_page(query, cursor), parse, timeout=timeout
        )


class UsersWithRawResponse:
    """`client.users.with_raw_response`: each method returns an APIResponse."""

    def __init__(self, users: Users) -> None:
        self.create = to_raw_response(users.create)
        self.get = to_raw_response(users.get)
        self.me = to_raw_response(users.me)
        self.update = to_raw_response(users.update)
        self.delete = to_raw_response(users.delete)
        self.invite = to_raw_response(users.invite)
        self.reset_password = to_raw_response(users.reset_password)
        self.set_password = to_raw_response(users.set_password)
        self.list = to_raw_response(users.list)


class AsyncUsersWithRawResponse:
    """`client.users.with_raw_response` of the async client."""

    def __init__(self, users: AsyncUsers) -> None:
        self.create = to_async_raw_response(users.create)
        self.get = to_async_raw_response(users.get)
        self.me = to_async_raw_response(users.me)
        self.update = to_async_raw_response(users.update)
        self.delete = to_async_raw_response(users.delete)
        self.invite = to_async_raw_response(users.invite)
        self.reset_password = to_async_raw_response(users.reset_password)
        self.set_password = to_async_raw_response(users.set_password)
        self.list = to_async_raw_response(users.list)
