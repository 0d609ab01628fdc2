"""`client.users`: every user operation, sync (Users) and async (AsyncUsers).

The twins share everything but the sending: `_Requests` checks the arguments
and builds each request and its parser; the twins only send it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, Unpack

import httpx2

from .. import _lazy, _payloads
from .. import _validation as check
from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError
from .._pagination import AsyncPage, AsyncPaginator, SyncPage
from .._response import to_async_raw_response, to_raw_response
from .._spec import (
    CREATE_USER_BODY,
    LIST_USERS_QUERY,
    UPDATE_USER_BODY,
    ListUsersParams,
    UserCreateParams,
    UserUpdateParams,
    requests,
)
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from users_api_client.models import Invitation, User

    from .._client import AsyncUsersClient, UsersClient

__all__ = ["AsyncUsers", "Users"]

RequestArgs: TypeAlias = dict[str, Any]

# The parameters of listUsers that pagination owns; every other one is a filter.
_CURSOR, _LIMIT = "cursor", "limit"


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


def _returns_none(_: httpx2.Response) -> None:
    return None


class _Requests:
    """Argument checks and request building, shared by the sync and async twins."""

    @staticmethod
    def create(body: object, fields: Mapping[str, Any], idempotency_key: str | None) -> RequestArgs:
        payload = _payloads.body("UserCreate", CREATE_USER_BODY, body, fields)
        return requests.create_user(body=payload, idempotency_key=_idempotency_key(idempotency_key))

    @staticmethod
    def update(
        user_id: str,
        body: object,
        fields: Mapping[str, Any],
        if_match: int | str | None,
        idempotency_key: str | None,
    ) -> RequestArgs:
        user_id = check.user_id(user_id)
        payload = _payloads.body(
            "UserUpdate", UPDATE_USER_BODY, body, fields,
            elsewhere=CREATE_USER_BODY, elsewhere_name="create",
        )  # fmt: skip
        return requests.update_user(
            user_id,
            body=payload,
            if_match=_if_match(if_match),
            idempotency_key=_idempotency_key(idempotency_key),
        )

    @staticmethod
    def list_query(params: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The filters, sort and limit, checked once and reused for every page,
        and the cursor to start from."""
        query = _payloads.query("list", LIST_USERS_QUERY, params)
        cursor: str | None = query.pop(_CURSOR, None)
        query.setdefault(_LIMIT, LIST_USERS_QUERY[_LIMIT].default)
        if "email_domain" in query:
            # "@example.com" is how people write a domain; the API wants it bare.
            query["email_domain"] = query["email_domain"].lstrip("@")
        return query, cursor

    @staticmethod
    def list_page(query: Mapping[str, Any], cursor: str | None) -> RequestArgs:
        return requests.list_users(query={**query, _CURSOR: cursor})

    @staticmethod
    def reset_password(email: str, idempotency_key: str | None) -> RequestArgs:
        return requests.reset_user_password(
            body={"email": check.non_empty("email", email)},
            idempotency_key=_idempotency_key(idempotency_key),
        )

    @staticmethod
    def set_password(reset_token: str, password: str, idempotency_key: str | None) -> RequestArgs:
        body = {
            "reset_token": check.non_empty("reset_token", reset_token),
            "password": check.non_empty("password", password),
        }
        return requests.set_user_password(
            body=body, idempotency_key=_idempotency_key(idempotency_key)
        )


def _parse_user(response: httpx2.Response) -> User:
    return _lazy.models.parse_user(response)


def _parse_invitation(response: httpx2.Response) -> Invitation:
    return _lazy.models.parse_invitation(response)


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
        args = requests.get_user(check.user_id(user_id))
        return self._client._request(args, _parse_user, timeout=timeout)

    def me(self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> User:
        """The user the client's credential belongs to."""
        return self._client._request(requests.get_current_user(), _parse_user, timeout=timeout)

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
        args = requests.delete_user(
            check.user_id(user_id), idempotency_key=_idempotency_key(idempotency_key)
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
        args = requests.invite_user(
            check.user_id(user_id), idempotency_key=_idempotency_key(idempotency_key)
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
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        **params: Unpack[ListUsersParams],
    ) -> SyncPage[User]:
        """The first page of users matching every filter; iterate it for all of them.

        >>> for user in client.users.list(role=["admin", "owner"], sort="email:asc"):
        ...     print(user.email)

        Takes every parameter of listUsers in openapi.yaml: the filters (one
        value or a list for `role` and `status`), `sort` ("email:asc,created_at:desc"),
        `limit` (the page size) and `cursor` (a page's `next_cursor`, to resume).
        """
        query, cursor = _Requests.list_query(params)
        return self._fetch_page(query, cursor, timeout)

    def _fetch_page(
        self, query: Mapping[str, Any], cursor: str | None, timeout: TimeoutTypes | NotGiven
    ) -> SyncPage[User]:
        def fetch(next_cursor: str) -> SyncPage[User]:
            return self._fetch_page(query, next_cursor, timeout)

        def parse(response: httpx2.Response) -> SyncPage[User]:
            users, next_cursor, previous_cursor = _lazy.models.parse_user_page(response)
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
        args = requests.get_user(check.user_id(user_id))
        return await self._client._request(args, _parse_user, timeout=timeout)

    async def me(self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> User:
        """See Users.me."""
        return await self._client._request(
            requests.get_current_user(), _parse_user, timeout=timeout
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
        args = requests.delete_user(
            check.user_id(user_id), idempotency_key=_idempotency_key(idempotency_key)
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
        args = requests.invite_user(
            check.user_id(user_id), idempotency_key=_idempotency_key(idempotency_key)
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
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        **params: Unpack[ListUsersParams],
    ) -> AsyncPaginator[User]:
        """Await for the first page, or `async for` over every matching user.

        Arguments are checked at once; the first request is sent when the
        result is awaited or iterated. See Users.list.
        """
        query, cursor = _Requests.list_query(params)
        return AsyncPaginator(lambda: self._fetch_page(query, cursor, timeout))

    async def _fetch_page(
        self, query: Mapping[str, Any], cursor: str | None, timeout: TimeoutTypes | NotGiven
    ) -> AsyncPage[User]:
        async def fetch(next_cursor: str) -> AsyncPage[User]:
            return await self._fetch_page(query, next_cursor, timeout)

        def parse(response: httpx2.Response) -> AsyncPage[User]:
            users, next_cursor, previous_cursor = _lazy.models.parse_user_page(response)
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
